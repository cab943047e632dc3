import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, Row } from './db';
import { claimPgliteDir } from './pglite-owner.lock';

/** Embedded PostgreSQL (WASM) in a data directory: no server to run, the same SQL as production. */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;

  private constructor(
    private readonly pg: PGlite,
    private readonly release: () => void = () => undefined,
  ) {}

  /**
   * `exclusive` (a node): refuses with PGLITE_SINGLE_PROCESS when another live process has the data
   * directory open — PGlite is one process, so a node on it runs as one replica.
   */
  static async open(dataDir: string, options: { exclusive?: boolean } = {}): Promise<PgliteDb> {
    mkdirSync(dataDir, { recursive: true });
    const release = options.exclusive ? claimPgliteDir(dataDir) : undefined;
    try {
      const pg = new PGlite(dataDir);
      await pg.waitReady;
      return new PgliteDb(pg, release);
    } catch (error) {
      release?.();
      throw error;
    }
  }

  /** A throwaway in-memory database, for unit tests of SQL. */
  static async inMemory(): Promise<PgliteDb> {
    const pg = new PGlite();
    await pg.waitReady;
    return new PgliteDb(pg);
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pg.query<T>(sql, [...params]);
    return result.rows;
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) =>
      fn({
        query: async <R extends Row = Row>(sql: string, params: readonly unknown[] = []) =>
          (await tx.query<R>(sql, [...params])).rows,
      }),
    );
  }

  async ping(): Promise<void> {
    await this.pg.query('select 1');
  }

  async close(): Promise<void> {
    try {
      await this.pg.close();
    } finally {
      this.release();
    }
  }
}
