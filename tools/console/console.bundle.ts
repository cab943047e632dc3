import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(__dirname, '../..');
const SOURCE = join(ROOT, 'apps/exchange-node/console');
/** Git-ignored; the node serves the console from here (CONSOLE_DIR in the node's console page). */
export const CONSOLE_OUT = join(ROOT, 'dist/console');

/**
 * Builds the officer console: one ES module and one stylesheet (esbuild, minified, no source maps
 * shipped) and the page that loads them, into dist/console. The same input gives the same output.
 */
export async function buildConsole(out = CONSOLE_OUT): Promise<void> {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { console: join(SOURCE, 'src/main.ts'), 'console-style': join(SOURCE, 'src/console.css') },
    outdir: out,
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    tsconfig: join(SOURCE, 'tsconfig.json'),
    logLevel: 'warning',
    entryNames: '[name]',
  });
  copyFileSync(join(SOURCE, 'index.html'), join(out, 'index.html'));
}
