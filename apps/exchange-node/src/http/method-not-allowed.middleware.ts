import type { NextFunction, Request, Response } from 'express';
import { ExchangeError } from '../shared/exchange.error';

/** A route of this node as the OpenAPI document lists it (`/v1/messages/{id}`) and the methods it serves. */
export interface KnownPath {
  readonly path: string;
  readonly methods: readonly string[];
}

/**
 * A known path asked with a method it does not serve gets `405` and `Allow` (RFC 9110 §15.5.6), not
 * the 404 of an unknown path; OPTIONS gets `204` and `Allow`. HEAD follows GET, as express serves it.
 * Unknown paths fall through to the router's 404.
 */
export function methodNotAllowed(paths: readonly KnownPath[]) {
  const table = paths.map(({ path, methods }) => ({
    pattern: toPattern(path),
    methods: methods.map((m) => m.toUpperCase()),
  }));
  return (req: Request, res: Response, next: NextFunction): void => {
    // A path can match more than one template (`/v1/messages/batch` and `/v1/messages/{id}`).
    const served = new Set(table.filter((t) => t.pattern.test(req.path)).flatMap((t) => t.methods));
    if (served.size === 0) return next();
    if (served.has('GET')) served.add('HEAD');
    if (served.has(req.method)) return next();
    res.setHeader('Allow', [...served, 'OPTIONS'].sort().join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(
      new ExchangeError(
        'METHOD_NOT_ALLOWED',
        405,
        `${req.method.slice(0, 16)} is not served here; see Allow`,
      ),
    );
  };
}

/** `/v1/messages/{id}` → `^/v1/messages/[^/]+/?$` (express also routes a trailing slash). */
function toPattern(path: string): RegExp {
  const source = path
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}/?$`);
}
