import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

// Starting TypeScript in a child and 40,000 encryptions: longer than a unit test's default.
jest.setTimeout(120_000);

describe('encryptFor under constant garbage collection', () => {
  // A regression test for a native deadlock: with the ephemeral key drawn by generateKeyPairSync,
  // this child froze within a few seconds (0% CPU, never exiting) in every run on Node 20.
  it('never freezes the process', async () => {
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=1',
        join(ROOT, 'tools/run-ts.js'),
        join(__dirname, 'payload.encrypter.gc-stress.ts'),
        '40000',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    clearTimeout(timer);
    expect({ exit, output: output.trim() }).toEqual({
      exit: { code: 0, signal: null },
      output: 'encrypted 40000',
    });
  });
});
