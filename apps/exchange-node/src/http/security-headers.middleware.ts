import type { NextFunction, Request, Response } from 'express';

/** API answers are data, never a page: nothing may load, frame or be sniffed out of them. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Swagger UI at /docs: its scripts and stylesheet are files of this node; its page template carries
 * inline styles and its icons are data: URIs; "try it out" calls this node.
 */
const DOCS_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Headers every answer carries, refusals and 404s included. */
export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', isDocsPage(req.path) ? DOCS_POLICY : API_POLICY);
    // Answers hold message status and payloads: no shared or private cache keeps them.
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

function isDocsPage(path: string): boolean {
  return path === '/docs' || path.startsWith('/docs/');
}
