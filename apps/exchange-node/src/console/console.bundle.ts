import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The console's files as `npm run console:build` writes them, read once at start-up. */
export interface ConsoleBundle {
  readonly files: ReadonlyMap<string, { readonly type: string; readonly body: Buffer }>;
  /** Where it was looked for, to say so when it is missing. */
  readonly lookedIn: readonly string[];
}

const FILES = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console-style.css': 'text/css; charset=utf-8',
} as const;

/**
 * The console page allows scripts and styles of this origin only (no inline script or style, no
 * eval) and requests to this node: the page is the node's own client, with the officer's token.
 */
export const CONSOLE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Run from the checkout (demo, tests) the bundle is in `dist/console` under the working directory;
 * a webpack build of the node keeps it two folders up from main.js (dist/apps/exchange-node).
 */
export function loadConsoleBundle(
  dirs = [resolve(process.cwd(), 'dist/console'), join(__dirname, '../../console')],
): ConsoleBundle {
  const dir = dirs.find((d) => Object.keys(FILES).every((f) => existsSync(join(d, f))));
  const files = new Map<string, { type: string; body: Buffer }>();
  if (dir)
    for (const [name, type] of Object.entries(FILES))
      files.set(name, { type, body: readFileSync(join(dir, name)) });
  return { files, lookedIn: dirs };
}
