import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPgliteDir, PgliteInUseError } from './pglite-owner.lock';
import { PgliteDb } from './pglite.db';

describe('one process per PGlite data directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'puente-pglite-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second process while the first lives, with PGLITE_SINGLE_PROCESS', async () => {
    // Another live process (a stand-in for the first replica) holds the directory.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'puente-node.pid'), String(other.pid));
      expect(() => claimPgliteDir(dir)).toThrow(PgliteInUseError);
      await expect(PgliteDb.open(dir, { exclusive: true })).rejects.toMatchObject({
        code: 'PGLITE_SINGLE_PROCESS',
        message: expect.stringContaining('DATABASE_URL') as unknown,
      });
      // A tool opening the directory (not exclusive) is not this check's business.
      expect(readFileSync(join(dir, 'puente-node.pid'), 'utf8')).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over the mark of a process that died, and removes its own on release', async () => {
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(join(dir, 'puente-node.pid'), String(dead.pid));
    const release = claimPgliteDir(dir);
    expect(readFileSync(join(dir, 'puente-node.pid'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, 'puente-node.pid'))).toBe(false);
  });
});
