import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface RenderedPage {
  readonly html: string;
  /** Allows exactly the page's own inline style and script (by hash) and requests to this origin. */
  readonly contentSecurityPolicy: string;
}

const FILES = ['dashboard.html', 'dashboard.css', 'dashboard.js'] as const;

/**
 * The dashboard: one self-contained HTML page, written as three plain files beside this one (no
 * build step, no CDN) and joined once at start-up — the CSS and script are inlined, and the CSP
 * names their hashes, so the browser runs nothing else.
 */
export function renderDashboardPage(dir = findDashboardDir()): RenderedPage {
  const [template, css, js] = FILES.map((f) => readFileSync(join(dir, f), 'utf8')) as [
    string,
    string,
    string,
  ];
  // Whole elements are replaced (formatters may re-wrap the placeholders), so the inline text is exactly
  // the file whose hash the CSP names. Function replacers: a `$` in the script is not a pattern.
  const style = /<style>\s*\/\*__STYLE__\*\/\s*<\/style>/;
  const script = /<script>\s*\/\*__SCRIPT__\*\/\s*<\/script>/;
  if (!style.test(template) || !script.test(template))
    throw new Error(`${join(dir, 'dashboard.html')} lacks the /*__STYLE__*/ or /*__SCRIPT__*/ placeholder`);
  if (/<\/(script|style)/i.test(js + css))
    throw new Error('the dashboard script or style would close its own element');
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  return {
    html: template
      .replace(style, () => `<style>${css}</style>`)
      .replace(script, () => `<script>${js}</script>`),
    contentSecurityPolicy: [
      "default-src 'none'",
      `script-src ${hash(js)}`,
      `style-src ${hash(css)}`,
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}

/**
 * Run from source (ts-node, jest) the files sit beside this module; a bundled build keeps them in a
 * `dashboard/` folder beside main.js (nest-cli assets), or the repository checkout is the cwd.
 */
function findDashboardDir(): string {
  const candidates = [
    __dirname,
    join(__dirname, 'dashboard'),
    resolve(process.cwd(), 'apps/ops-monitor/src/dashboard'),
  ];
  const found = candidates.find((d) => existsSync(join(d, 'dashboard.html')));
  if (!found) throw new Error(`dashboard files not found in any of: ${candidates.join(', ')}`);
  return found;
}
