import type { DatabaseConfig } from '@app/config';
import type { Db } from './db';
import { PgliteDb } from './pglite.db';
import { PostgresDb } from './postgres.db';
import { migrate } from '../migrations/migrate';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  const db =
    config.kind === 'postgres' ? await PostgresDb.open(config.url) : await PgliteDb.open(config.dataDir);
  await migrate(db);
  return db;
}
