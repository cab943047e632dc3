import type { NextFunction, Request, Response } from 'express';
import { ExchangeError } from '../shared/exchange.error';
import { inspectJsonInput } from './json-input.inspector';

/**
 * Runs right after the JSON body parser, before any route, pipe or class-transformer sees the input:
 * refuses prototype keys, deep nesting and control characters in the body and the query string with
 * `400 SCHEMA_INVALID` naming the path.
 */
export function jsonInputGuard(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const problem = inspectJsonInput(req.body, maxDepth) ?? inspectJsonInput(req.query, maxDepth);
    next(problem ? ExchangeError.invalid([problem]) : undefined);
  };
}
