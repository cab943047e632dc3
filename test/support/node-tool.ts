import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestNode } from './test-network';
import { REPO_ROOT } from './test-network';

const run = promisify(execFile);

/**
 * Runs one of the repository's operator tools (`tools/….ts`, as `npm run …` does) with a node's own
 * settings, and returns its exit code and output, whatever the code.
 */
export async function runNodeTool(
  node: TestNode,
  script: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['tools/run-ts.js', script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...node.env, ...env },
    });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
