export type Row = Record<string, unknown>;

/** Anything that runs a parameterised SQL statement: the database itself or an open transaction. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * The one database interface the node uses. Two implementations run the same SQL: PGlite in a data
 * directory (the embedded default) and a PostgreSQL server (when DATABASE_URL is set).
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
