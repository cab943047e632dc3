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
    literal: !path.includes('{'),
    methods: methods.map((m) => m.toUpperCase()),
  }));
  return (req: Request, res: Response, next: NextFunction): void => {
    // `/v1/messages/batch` also fits `/v1/messages/{id}`, but is no message id: a literal path
    // answers for itself.
    const matching = table.filter((t) => t.pattern.test(req.path));
    const chosen = matching.some((t) => t.literal) ? matching.filter((t) => t.literal) : matching;
    const served = new Set(chosen.flatMap((t) => t.methods));
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
