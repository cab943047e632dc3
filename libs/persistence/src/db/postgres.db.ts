import { Pool, type PoolClient } from 'pg';
import type { Db, Queryable, Row } from './db';

/** A PostgreSQL server reached by URL, through a small pool. */
export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;

  private constructor(private readonly pool: Pool) {}

  static async open(url: string, poolSize = 8): Promise<PostgresDb> {
    const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
    // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const db = new PostgresDb(pool);
    await db.ping();
    return db;
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pool.query<T>(sql, [...params]);
    return result.rows;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    // A server restart ends a checked-out connection with an 'error' event; without a listener that
    // event would crash the process. The failing query rejects as well, and the caller retries.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('begin');
      const result = await fn({
        query: async <R extends Row = Row>(sql: string, params: readonly unknown[] = []) =>
          (await client.query<R>(sql, [...params])).rows,
      });
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: Error) => {
        broken ??= rollbackError;
      });
      throw error;
    } finally {
      client.removeListener('error', onError);
      // A connection that failed is discarded by the pool rather than handed to the next caller.
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('select 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
