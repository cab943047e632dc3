import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ManagedPostgres {
  /** Superuser URL of the `postgres` database; create per-node databases from it. */
  readonly adminUrl: string;
  readonly port: number;
  /** The postmaster's process id (its children serve the connections). */
  pid(): number;
  stop(): Promise<void>;
  /** Fast stop then start of the same server and data (for database-restart fault tests). */
  restart(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway PostgreSQL server (Debian's `postgresql`) on 127.0.0.1. PostgreSQL refuses to run as
 * root, so as root the server runs as the `postgres` system user in a directory it owns.
 */
export async function startPostgres(port?: number): Promise<ManagedPostgres> {
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'puente-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, uid, Number(gid.trim()));
    chmodSync(dir, 0o700);
  }
  const as = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  const listenPort = port ?? (await freePort());
  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'puente', '--no-sync']);
  const opts = `-p ${listenPort} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const start = () =>
    as('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const stop = () => as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    adminUrl: `postgres://puente@127.0.0.1:${listenPort}/postgres`,
    port: listenPort,
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stop();
      await start();
    },
  };
}
