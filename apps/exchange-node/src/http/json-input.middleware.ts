import type { NextFunction, Request, Response } from 'express';
import { ExchangeError } from '../shared/exchange.error';
import { inspectJsonInput } from './json-input.inspector';

/**
 * Runs right after the JSON body parser, before any route, pipe or class-transformer sees the input:
 * refuses prototype keys, deep nesting and control characters in the body and the query string with
 * `400 SCHEMA_INVALID` naming the path. On `itemsJudgedAlone` routes (the batch), the items of the
 * body's `messages` list are left to the route, which inspects each one as it judges it, so a bad
 * item is refused in its own result rather than failing the batch.
 */
export function jsonInputGuard(maxDepth: number, itemsJudgedAlone: readonly string[] = []) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    const envelope =
      itemsJudgedAlone.includes(req.path) && isRecord(body) && Array.isArray(body.messages)
        ? { ...body, messages: [] }
        : body;
    const problem = inspectJsonInput(envelope, maxDepth) ?? inspectJsonInput(req.query, maxDepth);
    next(problem ? ExchangeError.invalid([problem]) : undefined);
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
