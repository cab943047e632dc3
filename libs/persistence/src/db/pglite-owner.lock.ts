import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Why a node may not open an embedded database: another process runs on it. */
export class PgliteInUseError extends Error {
  readonly code = 'PGLITE_SINGLE_PROCESS';

  constructor(dataDir: string, pid: number) {
    super(
      `PGLITE_SINGLE_PROCESS: the embedded database in ${dataDir} is open in process ${pid}. PGlite ` +
        'serves one process only: to run a node as several replicas, give them one PostgreSQL ' +
        'database (DATABASE_URL); to run one node, stop the other process first',
    );
    this.name = 'PgliteInUseError';
  }
}

const LOCK_FILE = 'puente-node.pid';

/**
 * Marks the embedded database as open in this process, and refuses when a live process has it: two
 * processes writing one PGlite data directory would corrupt it, so a second replica on PGlite stops
 * at start-up instead. A file left by a process that died (SIGKILL, power loss) is taken over. Returns
 * the release, run when the database closes.
 */
export function claimPgliteDir(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (ownerOf(file) === process.pid) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(file);
      if (owner !== undefined && owner !== process.pid && isAlive(owner))
        throw new PgliteInUseError(dataDir, owner);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not mark ${dataDir} as open in this process (${LOCK_FILE} keeps reappearing)`);
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user — alive all the same.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
