import type { Queryable } from './db';

type Columns = readonly (readonly [name: string, cast?: string])[];

/** One SQL statement with its parameters ($1 … $n). */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * A row insert a repository can hand over for batching: the table, its columns (with the cast each
 * value needs) and what follows the VALUES list (e.g. an ON CONFLICT clause). Specs are module
 * constants, so rows of the same spec can be written by one multi-row statement.
 */
export interface InsertSpec {
  readonly table: string;
  readonly columns: Columns;
  readonly suffix?: string;
}

/**
 * A row update a repository can hand over for batching: each row is a list of values (named by
 * `columns`, with their casts) that `where` matches against the table's rows and `set` writes into
 * them. The statement is `update <table> as t set <set> from (values …) as v(<columns>) where
 * <where>`, so `set` and `where` refer to the table as `t` and to the row's values as `v`.
 */
export interface UpdateSpec {
  readonly table: string;
  readonly columns: Columns;
  readonly set: string;
  readonly where: string;
  /**
   * The first `key` values of a row identify the table row it updates. Of rows with the same key in
   * one batch only the first is written: for a write-once update (its `where` no longer matches after
   * it ran), the same result as running them one after another.
   */
  readonly key: number;
}

export type RowSpec = InsertSpec | UpdateSpec;

/** A transaction that collects row writes and makes each spec's rows one statement at commit. */
export interface RowBuffer extends Queryable {
  deferRow(spec: RowSpec, row: readonly unknown[]): void;
}

function isRowBuffer(tx: Queryable): tx is RowBuffer {
  return typeof (tx as Partial<RowBuffer>).deferRow === 'function';
}

function isUpdate(spec: RowSpec): spec is UpdateSpec {
  return 'set' in spec;
}

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMS = 60_000;

/** The statements that write `rows` of `spec`: as few as the parameter limit allows. */
export function rowStatements(spec: RowSpec, rows: readonly (readonly unknown[])[]): Statement[] {
  const width = spec.columns.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / width));
  const names = spec.columns.map(([name]) => name).join(', ');
  const out: Statement[] = [];
  const all = isUpdate(spec) ? firstPerKey(rows, spec.key) : rows;
  for (let start = 0; start < all.length; start += perStatement) {
    const chunk = all.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      if (row.length !== width) throw new Error(`${spec.table}: ${row.length} values for ${width} columns`);
      const base = params.length;
      params.push(...row);
      return `(${spec.columns.map(([, cast], i) => `$${base + i + 1}${cast ? `::${cast}` : ''}`).join(', ')})`;
    });
    const values = tuples.join(', ');
    const sql = isUpdate(spec)
      ? `update ${spec.table} as t set ${spec.set} from (values ${values}) as v(${names}) where ${spec.where}`
      : `insert into ${spec.table} (${names}) values ${values}${spec.suffix ? ` ${spec.suffix}` : ''}`;
    out.push({ sql, params });
  }
  return out;
}

/**
 * Write statements joined into one — the others as data-modifying WITH parts of the last — so that
 * they cost one round trip. All parts run on one snapshot and none sees another's rows: only for
 * writes that do not depend on each other (a group commit's rows of different specs and its audit
 * entries). Left apart when there is one, or when together they would pass the parameter limit.
 */
export function joinWrites(statements: readonly Statement[]): readonly Statement[] {
  const total = statements.reduce((n, s) => n + s.params.length, 0);
  if (statements.length < 2 || total > MAX_PARAMS) return statements;
  const params: unknown[] = [];
  const parts = statements.map((s) => {
    const offset = params.length;
    params.push(...s.params);
    return s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = parts.pop() ?? '';
  return [{ sql: `with ${parts.map((p, i) => `w${i} as (${p})`).join(', ')} ${last}`, params }];
}

function firstPerKey(rows: readonly (readonly unknown[])[], key: number): (readonly unknown[])[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const k = JSON.stringify(row.slice(0, key));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Writes one row now, or — inside a group commit — defers it to the batch's one statement for its
 * spec. Only for writes whose result nothing in the same transaction reads back before it commits.
 */
export async function writeRow(tx: Queryable, spec: RowSpec, row: readonly unknown[]): Promise<void> {
  if (isRowBuffer(tx)) {
    tx.deferRow(spec, row);
    return;
  }
  for (const { sql, params } of rowStatements(spec, [row])) await tx.query(sql, params);
}
