import type { DatabaseConfig } from '@app/config';
import type { Db } from './db';
import { PgliteDb } from './pglite.db';
import { PostgresDb } from './postgres.db';
import { migrate } from '../migrations/migrate';

/** The PostgreSQL application name of a running node's sessions; tools use another. */
export const NODE_APPLICATION_NAME = 'puente-node';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig, opener: 'node' | 'tool' = 'tool'): Promise<Db> {
  const db =
    config.kind === 'postgres'
      ? await PostgresDb.open(config.url, 8, opener === 'node' ? NODE_APPLICATION_NAME : 'puente-tool')
      : await PgliteDb.open(config.dataDir, { exclusive: opener === 'node' });
  await migrate(db);
  return db;
}
