/**
 * `npm run docs:links` — checks the links of README.md and docs/*.md: every relative link must name a
 * file or folder that exists inside the repository, and nothing may point at the documents that once
 * lived beside it (`../shared`). A clone of the repository is all a reader has; a link that leads
 * out of it, or to nothing, is a broken promise. Web links (http, https, mailto) and in-page anchors
 * are not followed. The unit tests run this over the repository, so `npm run check` fails on a bad link.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

export interface LinkProblem {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: 'missing' | 'outside-repository' | 'refers-to-shared';
}

/** `[text](target)` and `[text](target "title")`, and reference definitions `[id]: target`. */
const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/;
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
const SHARED = /\.\.\/shared\b/;

/** The Markdown files the check covers: README.md and every docs/*.md. */
export function documentationFiles(root: string): string[] {
  const docs = join(root, 'docs');
  const inDocs = existsSync(docs)
    ? readdirSync(docs)
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => join('docs', name))
    : [];
  return ['README.md', ...inDocs];
}

/** Every problem of one Markdown text; `file` is its path relative to `root`. */
export function checkMarkdown(root: string, file: string, text: string): LinkProblem[] {
  const problems: LinkProblem[] = [];
  const base = dirname(join(root, file));
  let fenced = false;
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    // The mention itself is the problem, in prose, code or a link alike.
    if (SHARED.test(content)) {
      problems.push({
        file,
        line,
        target: SHARED.exec(content)?.[0] ?? '../shared',
        problem: 'refers-to-shared',
      });
    }
    if (/^\s*(```|~~~)/.test(content)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const prose = content.replace(/`[^`]*`/g, '');
    const targets = [...prose.matchAll(INLINE_LINK)].map((m) => m[1] ?? '');
    const definition = REFERENCE_DEFINITION.exec(prose)?.[1];
    if (definition) targets.push(definition);
    for (const target of targets) {
      const problem = judgeTarget(root, base, target);
      if (problem) problems.push({ file, line, target, problem });
    }
  });
  return problems;
}

function judgeTarget(root: string, base: string, target: string): LinkProblem['problem'] | undefined {
  if (EXTERNAL.test(target) || target.startsWith('#')) return undefined;
  const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
  if (path === '') return undefined;
  // A link starting with `/` means the repository root on the forges that render these files.
  const resolved = path.startsWith('/') ? join(root, path) : resolve(base, path);
  const fromRoot = relative(root, resolved);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) return 'outside-repository';
  return existsSync(resolved) ? undefined : 'missing';
}

/** Every problem of README.md and docs/*.md under `root`. */
export function checkLinks(root: string): LinkProblem[] {
  return documentationFiles(root).flatMap((file) => {
    const path = join(root, file);
    return existsSync(path) ? checkMarkdown(root, file, readFileSync(path, 'utf8')) : [];
  });
}

export function formatProblem(p: LinkProblem): string {
  const what = {
    missing: 'links to a file that does not exist',
    'outside-repository': 'links outside the repository',
    'refers-to-shared': 'refers to ../shared, which is not part of the repository',
  }[p.problem];
  return `${p.file}:${p.line}: ${what}: ${p.target}`;
}

function isEntryPoint(): boolean {
  return require.main === module || resolve(process.argv[1] ?? '') === __filename;
}

if (isEntryPoint()) {
  const root = resolve(__dirname, '../..');
  const problems = checkLinks(root);
  for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
  process.stdout.write(
    `${documentationFiles(root).length} files checked, ${problems.length} link problem${problems.length === 1 ? '' : 's'}\n`,
  );
  process.exitCode = problems.length === 0 ? 0 : 1;
}
