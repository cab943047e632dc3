import type { DatabaseConfig } from '@app/config';
import type { Db } from './db';
import { PgliteDb } from './pglite.db';
import { PostgresDb } from './postgres.db';
import { migrate } from '../migrations/migrate';

/** The PostgreSQL application name of a running node's sessions; tools use another. */
export const NODE_APPLICATION_NAME = 'puente-node';

/**
 * How long a node's transaction may wait for the node before PostgreSQL ends its session. Its longest
 * legitimate wait is the outbox relay's send to the broker (kafkajs gives up within about 40 s of
 * retries); anything longer is a stalled node holding the audit head or a lock, which this releases.
 */
export const NODE_IDLE_IN_TRANSACTION_MS = 120_000;

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig, opener: 'node' | 'tool' = 'tool'): Promise<Db> {
  const node = opener === 'node';
  const db =
    config.kind === 'postgres'
      ? node
        ? await PostgresDb.open(config.url, 8, NODE_APPLICATION_NAME, NODE_IDLE_IN_TRANSACTION_MS)
        : await PostgresDb.open(config.url, 8, 'puente-tool')
      : await PgliteDb.open(config.dataDir, { exclusive: node });
  await migrate(db);
  return db;
}
