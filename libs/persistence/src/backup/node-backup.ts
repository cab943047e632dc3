import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db, Queryable } from '../db/db';
import { AuditLogRepository } from '../repositories/audit-log.repository';

/**
 * A node's backup is one gzip file of lines: a header, then one line per row (`<table>\t<row as
 * JSON>`, the row exactly as PostgreSQL renders it with row_to_json), then a trailer with the row
 * counts and the SHA-256 of every line before it. The same format serves PostgreSQL and PGlite, and
 * rows go back with json_populate_recordset, so no value passes through JavaScript numbers or dates.
 */
export const BACKUP_FORMAT = 'puente-node-backup/1';

export interface BackupHeader {
  readonly format: typeof BACKUP_FORMAT;
  readonly party: string;
  readonly createdAt: string;
  readonly database: Db['kind'];
  /** The schema migrations applied; a restore needs the same set. */
  readonly schema: readonly number[];
  readonly auditHead: { readonly seq: number; readonly hash: string };
}

export interface BackupSummary {
  readonly header: BackupHeader;
  readonly rows: Readonly<Record<string, number>>;
  readonly sha256: string;
}

export type BackupErrorCode =
  | 'BACKUP_UNREADABLE'
  | 'BACKUP_TRUNCATED'
  | 'BACKUP_CORRUPT'
  | 'BACKUP_OTHER_PARTY'
  | 'BACKUP_SCHEMA_MISMATCH'
  | 'NODE_RUNNING';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'BackupError';
  }
}

/** Rows fetched per round trip while dumping, and rows inserted per statement while restoring. */
const PAGE = 500;

/**
 * Writes a consistent snapshot of the node's database to `file` (mode 0600: it holds the node's
 * data, personal data included). Written beside the target and renamed at the end, so a failed
 * backup never leaves a file that looks whole.
 */
export async function writeBackup(db: Db, party: string, file: string, now: Date): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial, { mode: 0o600 });
  gzip.pipe(out);
  const digest = createHash('sha256');
  const write = async (line: string) => {
    digest.update(line).update('\n');
    if (!gzip.write(`${line}\n`)) await new Promise((r) => gzip.once('drain', r));
  };
  try {
    const summary = await db.transaction(async (tx) => {
      // One snapshot for every table: rows written while the backup runs are all in or all out.
      if (db.kind === 'postgres')
        await tx.query('set transaction isolation level repeatable read, read only');
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        party,
        createdAt: now.toISOString(),
        database: db.kind,
        schema: await schemaVersions(tx),
        auditHead: await auditHead(tx),
      };
      await write(JSON.stringify({ header }));
      const rows: Record<string, number> = {};
      for (const table of await dataTables(tx)) {
        rows[table] = 0;
        await tx.query(
          `declare backup_rows no scroll cursor for select row_to_json(t)::text as j from ${table} t`,
        );
        for (;;) {
          const page = await tx.query<{ j: string }>(`fetch ${PAGE} from backup_rows`);
          for (const { j } of page) await write(`${table}\t${j}`);
          rows[table] += page.length;
          if (page.length < PAGE) break;
        }
        await tx.query('close backup_rows');
      }
      return { header, rows };
    });
    const sha256 = digest.digest('hex');
    gzip.end(`${JSON.stringify({ end: { rows: summary.rows, sha256 } })}\n`);
    await finished(out);
    await rename(partial, file);
    return { ...summary, sha256 };
  } catch (error) {
    gzip.destroy();
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

/** Reads and checks a whole backup (header, every line against the trailer's digest and counts). */
export async function inspectBackup(file: string): Promise<BackupSummary> {
  let header: BackupHeader | undefined;
  let trailer: { rows: Record<string, number>; sha256: string } | undefined;
  const counted: Record<string, number> = {};
  const digest = createHash('sha256');
  await readLines(file, (line) => {
    if (trailer) throw new BackupError('BACKUP_CORRUPT', 'lines after the trailer');
    if (header === undefined) {
      header = parseHeader(line);
    } else if (line.startsWith('{"end":')) {
      trailer = (JSON.parse(line) as { end: typeof trailer }).end;
      return;
    } else {
      const tab = line.indexOf('\t');
      if (tab <= 0) throw new BackupError('BACKUP_CORRUPT', 'a row line without its table name');
      const table = line.slice(0, tab);
      counted[table] = (counted[table] ?? 0) + 1;
    }
    digest.update(line).update('\n');
  });
  if (!header) throw new BackupError('BACKUP_TRUNCATED', 'the file is empty');
  if (!trailer) throw new BackupError('BACKUP_TRUNCATED', 'the trailer is missing: the file was cut short');
  if (digest.digest('hex') !== trailer.sha256)
    throw new BackupError('BACKUP_CORRUPT', 'the lines do not match the SHA-256 in the trailer');
  for (const table of Object.keys(counted))
    if (!(table in trailer.rows))
      throw new BackupError('BACKUP_CORRUPT', `rows of ${table}, a table the trailer does not list`);
  for (const table of Object.keys(trailer.rows))
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table))
      throw new BackupError('BACKUP_CORRUPT', 'a table name that is not one');
  for (const [table, n] of Object.entries(trailer.rows))
    if ((counted[table] ?? 0) !== n)
      throw new BackupError('BACKUP_CORRUPT', `${table}: ${counted[table] ?? 0} rows, the trailer says ${n}`);
  return { header, rows: trailer.rows, sha256: trailer.sha256 };
}

export interface RestoreSummary extends BackupSummary {
  /** The audit entry that records the restore, chained after the backup's head. */
  readonly restoreEntry: number;
}

/**
 * Replaces every row of the node's database with the backup's, in one transaction, and records the
 * restore as an audit entry chained after the backup's head. The node must be stopped: a PostgreSQL
 * database with a node's session connected is refused (NODE_RUNNING).
 */
export async function restoreBackup(
  db: Db,
  file: string,
  party: string,
  now: Date,
  nodeApplicationName: string,
): Promise<RestoreSummary> {
  const summary = await inspectBackup(file);
  const { header } = summary;
  if (header.party !== party)
    throw new BackupError('BACKUP_OTHER_PARTY', `the backup is ${header.party}'s, this node is ${party}`);
  const schema = await schemaVersions(db);
  if (schema.join(',') !== header.schema.join(','))
    throw new BackupError(
      'BACKUP_SCHEMA_MISMATCH',
      `the backup has schema ${header.schema.join(',')}, this database ${schema.join(',')}: restore with the release that made the backup, then upgrade`,
    );
  if (db.kind === 'postgres') {
    const [running] = await db.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1',
      [nodeApplicationName],
    );
    if (Number(running?.n) > 0)
      throw new BackupError(
        'NODE_RUNNING',
        `${running?.n} session(s) of a running node use this database: stop it first`,
      );
  }
  const restoreEntry = await db.transaction(async (tx) => {
    const tables = await dataTables(tx);
    const unknown = Object.keys(summary.rows).filter((t) => !tables.includes(t));
    if (unknown.length > 0)
      throw new BackupError('BACKUP_SCHEMA_MISMATCH', `unknown tables ${unknown.join(', ')}`);
    await tx.query(`truncate table ${tables.join(', ')} restart identity`);
    let table = '';
    let page: string[] = [];
    const flush = async () => {
      if (page.length === 0) return;
      await tx.query(
        `insert into ${table} overriding system value select * from json_populate_recordset(null::${table}, $1::json)`,
        [`[${page.join(',')}]`],
      );
      page = [];
    };
    let first = true;
    await readLines(file, async (line) => {
      if (first || line.startsWith('{"end":')) {
        first = false;
        return;
      }
      const tab = line.indexOf('\t');
      const lineTable = line.slice(0, tab);
      if (lineTable !== table || page.length >= PAGE) {
        await flush();
        table = lineTable;
      }
      page.push(line.slice(tab + 1));
    });
    await flush();
    await resetIdentities(tx);
    const audit = new AuditLogRepository(tx);
    await audit.append(tx, now, 'node.restored', null, null, {
      backupCreatedAt: header.createdAt,
      backupAuditSeq: header.auditHead.seq,
      backupAuditHash: header.auditHead.hash,
      backupSha256: summary.sha256,
    });
    return (await auditHead(tx)).seq;
  });
  return { ...summary, restoreEntry };
}

async function readLines(file: string, onLine: (line: string) => void | Promise<void>): Promise<void> {
  const input = createReadStream(file).on('error', () => undefined);
  const gunzip = createGunzip();
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  try {
    for await (const line of lines) await onLine(line);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR'
      ? new BackupError('BACKUP_TRUNCATED', `the compressed stream is cut short or damaged (${code})`)
      : new BackupError('BACKUP_UNREADABLE', error instanceof Error ? error.message : String(error));
  } finally {
    lines.close();
    input.destroy();
  }
}

function parseHeader(line: string): BackupHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new BackupError('BACKUP_UNREADABLE', 'the first line is not a backup header');
  }
  const header = (parsed as { header?: BackupHeader }).header;
  if (header?.format !== BACKUP_FORMAT)
    throw new BackupError('BACKUP_UNREADABLE', `not a ${BACKUP_FORMAT} file`);
  return header;
}

/** Every table of the node's schema except the migrations ledger, which the restore checks instead. */
async function dataTables(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'
      order by table_name`,
  );
  return rows.map((r) => r.name);
}

async function schemaVersions(q: Queryable): Promise<number[]> {
  const rows = await q.query<{ version: number }>('select version from schema_migrations order by version');
  return rows.map((r) => Number(r.version));
}

async function auditHead(q: Queryable): Promise<{ seq: number; hash: string }> {
  const [head] = await q.query<{ seq: string; hash: string }>(
    'select seq::text as seq, hash from audit_head where id = 1',
  );
  return { seq: Number(head?.seq ?? 0), hash: head?.hash ?? '' };
}

/** Identity columns continue after the restored rows, not from 1. */
async function resetIdentities(tx: Queryable): Promise<void> {
  const columns = await tx.query<{ t: string; c: string }>(
    `select table_name as t, column_name as c from information_schema.columns
      where table_schema = current_schema() and is_identity = 'YES'`,
  );
  for (const { t, c } of columns)
    await tx.query(
      `select setval(pg_get_serial_sequence('${t}', '${c}'), coalesce((select max(${c}) from ${t}), 0) + 1, false)`,
    );
}
