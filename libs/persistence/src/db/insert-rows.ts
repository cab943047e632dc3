import type { Queryable } from './db';

/**
 * A row insert a repository can hand over for batching: the table, its columns (with the cast each
 * value needs) and what follows the VALUES list (e.g. an ON CONFLICT clause). Specs are module
 * constants, so rows of the same spec can be written by one multi-row statement.
 */
export interface InsertSpec {
  readonly table: string;
  readonly columns: readonly (readonly [name: string, cast?: string])[];
  readonly suffix?: string;
}

/** A transaction that collects inserts and writes each spec's rows with one statement at commit. */
export interface InsertBuffer extends Queryable {
  deferInsert(spec: InsertSpec, row: readonly unknown[]): void;
}

function isInsertBuffer(tx: Queryable): tx is InsertBuffer {
  return typeof (tx as Partial<InsertBuffer>).deferInsert === 'function';
}

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMS = 60_000;

/** The statements that write `rows` of `spec`: as few as the parameter limit allows. */
export function insertStatements(
  spec: InsertSpec,
  rows: readonly (readonly unknown[])[],
): { sql: string; params: unknown[] }[] {
  const width = spec.columns.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / width));
  const head = `insert into ${spec.table} (${spec.columns.map(([name]) => name).join(', ')}) values `;
  const out: { sql: string; params: unknown[] }[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      if (row.length !== width) throw new Error(`${spec.table}: ${row.length} values for ${width} columns`);
      const base = params.length;
      params.push(...row);
      return `(${spec.columns.map(([, cast], i) => `$${base + i + 1}${cast ? `::${cast}` : ''}`).join(', ')})`;
    });
    out.push({ sql: `${head}${tuples.join(', ')}${spec.suffix ? ` ${spec.suffix}` : ''}`, params });
  }
  return out;
}

/**
 * Inserts one row now, or — inside a group commit — defers it to the batch's multi-row insert. Only
 * for rows nothing in the same transaction reads back before it commits.
 */
export async function insertRow(tx: Queryable, spec: InsertSpec, row: readonly unknown[]): Promise<void> {
  if (isInsertBuffer(tx)) {
    tx.deferInsert(spec, row);
    return;
  }
  for (const { sql, params } of insertStatements(spec, [row])) await tx.query(sql, params);
}
