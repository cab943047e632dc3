import { createHash } from 'node:crypto';
import { Pool, type PoolClient, type QueryConfig } from 'pg';
import type { Db, Queryable, Row } from './db';

/** Distinct statements prepared per connection at most; beyond, statements run unnamed. */
const MAX_PREPARED = 1_000;
const DML = /^\s*(select|insert|update|delete|with)\b/i;

/** A PostgreSQL server reached by URL, through a small pool. */
export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;

  private readonly names = new Map<string, string>();

  private constructor(private readonly pool: Pool) {}

  /**
   * The node runs a small, fixed set of statements thousands of times: each is prepared once per
   * connection (a named statement), so the server parses and plans it once, not on every call.
   */
  private statement(sql: string, params: readonly unknown[]): QueryConfig {
    let name = this.names.get(sql);
    if (name === undefined && DML.test(sql) && this.names.size < MAX_PREPARED) {
      name = `puente_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
      this.names.set(sql, name);
    }
    return name === undefined ? { text: sql, values: [...params] } : { name, text: sql, values: [...params] };
  }

  /**
   * `applicationName` tells the node's sessions from tools' in pg_stat_activity (a restore checks it).
   * `idleInTransactionMs`: the server ends a session whose transaction waits that long for its client
   * (PostgreSQL's `idle_in_transaction_session_timeout`), so a transaction whose client stopped
   * answering releases its locks and fails, instead of holding every writer behind it.
   */
  static async open(
    url: string,
    poolSize = 8,
    applicationName = 'puente-tool',
    idleInTransactionMs?: number,
  ): Promise<PostgresDb> {
    const pool = new Pool({
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: 10_000,
      application_name: applicationName,
      ...(idleInTransactionMs ? { idle_in_transaction_session_timeout: idleInTransactionMs } : {}),
    });
    // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const db = new PostgresDb(pool);
    await db.ping();
    return db;
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pool.query<T>(this.statement(sql, params));
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
          (await client.query<R>(this.statement(sql, params))).rows,
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
