import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@app/testing';
import { REPO_ROOT } from './test-network';

const run = promisify(execFile);

export interface ScriptPostgres {
  /** The `puente` login's URL of the `postgres` database, password included. */
  readonly adminUrl: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * The demo's default store, started the way the demo starts it: tools/postgres/postgres.sh (the
 * system's binaries, SCRAM login, a private socket), in a throwaway state directory on a free port.
 */
export async function startScriptPostgres(): Promise<ScriptPostgres> {
  const state = mkdtempSync(join(tmpdir(), 'puente-managed-pg-'));
  const port = String(await freePort());
  const script = join(REPO_ROOT, 'tools/postgres/postgres.sh');
  const { stdout } = await run('bash', [script, 'start', '--port', port, '--state-dir', state]);
  const value = (name: string) =>
    stdout
      .split('\n')
      .find((l) => l.startsWith(`${name}=`))
      ?.slice(name.length + 1);
  const url = new URL(value('POSTGRES_URL') ?? '');
  url.password = readFileSync(value('POSTGRES_PASSWORD_FILE') ?? '', 'utf8').trim();
  url.pathname = '/postgres';
  return {
    adminUrl: url.toString(),
    dataDir: value('POSTGRES_DATA_DIR') ?? '',
    stop: async () => {
      await run('bash', [script, 'stop', '--port', port, '--state-dir', state]).catch(() => undefined);
      rmSync(state, { recursive: true, force: true });
    },
  };
}
