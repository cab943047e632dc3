import type { Db } from '../db/db';
import { MIGRATIONS } from './migrations';

/** Applies, in order and each in its own transaction, the migrations this database has not seen yet. */
export async function migrate(db: Db): Promise<number[]> {
  await db.query(
    'create table if not exists schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())',
  );
  const applied = new Set(
    (await db.query<{ version: number }>('select version from schema_migrations')).map((r) =>
      Number(r.version),
    ),
  );
  const done: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    });
    done.push(migration.version);
  }
  return done;
}
