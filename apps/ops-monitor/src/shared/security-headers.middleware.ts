import type { NextFunction, Request, Response } from 'express';

/**
 * Headers for every response. The monitor shows which administrations exchange what and when:
 * nothing may be cached, framed, or leak its URL to another site.
 */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  next();
}
