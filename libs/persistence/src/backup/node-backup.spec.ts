import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Db } from '../db/db';
import { PgliteDb } from '../db/pglite.db';
import { migrate } from '../migrations/migrate';
import { ApiClientsRepository } from '../repositories/api-clients.repository';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { InboxOffsetsRepository } from '../repositories/inbox-offsets.repository';
import { InboxRepository } from '../repositories/inbox.repository';
import { OutboxRepository } from '../repositories/outbox.repository';
import { BackupError, inspectBackup, restoreBackup, writeBackup } from './node-backup';

const NOW = new Date('2026-11-30T12:00:00Z');
const TOPIC = 'p.inbox.us-cbp';

/** Every table's rows as PostgreSQL renders them, in a stable order: what a restore must give back. */
async function contents(db: Db): Promise<Record<string, string[]>> {
  const tables = await db.query<{ t: string }>(
    "select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'",
  );
  const out: Record<string, string[]> = {};
  for (const { t } of tables)
    out[t] = (await db.query<{ j: string }>(`select row_to_json(x)::text as j from ${t} x`))
      .map((r) => r.j)
      .sort();
  return out;
}

async function addActivity(db: Db, n: number, from: number): Promise<void> {
  const inbox = new InboxRepository(db);
  const outbox = new OutboxRepository(db);
  const audit = new AuditLogRepository(db);
  for (let i = from; i < from + n; i++) {
    const id = `01935a4e-0000-7000-8000-${String(i).padStart(12, '0')}`;
    await db.transaction(async (tx) => {
      await inbox.insert(tx, {
        sender: 'sv-dga',
        id,
        conversationId: id,
        inReplyTo: null,
        type: 'puente.customs_offense.v1.AssistanceRequest',
        agreementId: 'cmaa-us-sv',
        purpose: 'trafficking',
        createdAt: NOW,
        expiresAt: new Date(NOW.getTime() + 86_400_000),
        payload: {
          caseReference: `A-${i}`,
          subjects: [{ name: 'Ñandú “quoted” \\ name', dob: '1980-01-02' }],
        },
        recordDigest: `sha256:${i}`,
        receivedAt: NOW,
      });
      await outbox.enqueue(tx, [
        {
          kind: 'receipt',
          messageId: id,
          topic: 'p.inbox.sv-dga',
          key: id,
          value: `jws-${i}`,
          headers: { a: 'b' },
        },
      ]);
      await audit.append(tx, NOW, 'message.received', id, 'sv-dga', { n: i });
    });
  }
  await new InboxOffsetsRepository(db).save(TOPIC, [{ partition: 0, offset: String(from + n) }], NOW);
}

describe('node backup and restore', () => {
  let dir: string;
  let db: PgliteDb;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'puente-backup-'));
    db = await PgliteDb.inMemory();
    await migrate(db);
    await db.transaction((tx) =>
      new ApiClientsRepository(db).replaceAll(tx, [
        { id: 'officer-1', agency: 'CBP', roles: ['officer', 'admin'], tokenSha256: 'ab'.repeat(32) },
      ]),
    );
    await addActivity(db, 30, 0);
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back every row exactly, continues identities after them and chains the restore in the audit log', async () => {
    const file = join(dir, 'us-cbp.backup.gz');
    const before = await contents(db);
    const backup = await writeBackup(db, 'us-cbp', file, NOW);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(backup.rows).toMatchObject({ inbox_messages: 30, outbox: 30, audit_log: 30, inbox_offsets: 1 });
    expect(backup.header.auditHead.seq).toBe(30);

    await addActivity(db, 20, 30);
    expect((await contents(db)).inbox_messages).toHaveLength(50);

    const restored = await restoreBackup(db, file, 'us-cbp', new Date('2026-12-01T00:00:00Z'), 'puente-node');
    expect(restored.restoreEntry).toBe(31);
    const after = await contents(db);
    expect({ ...after, audit_log: undefined, audit_head: undefined }).toEqual({
      ...before,
      audit_log: undefined,
      audit_head: undefined,
    });
    expect(await new InboxOffsetsRepository(db).load(TOPIC)).toEqual([{ partition: 0, offset: '30' }]);
    const verdict = await new AuditLogRepository(db).verify();
    expect(verdict).toMatchObject({ ok: true, entries: 31 });
    const [entry] = await db.query<{ kind: string; detail: Record<string, unknown> }>(
      'select kind, detail from audit_log where seq = 31',
    );
    expect(entry).toMatchObject({
      kind: 'node.restored',
      detail: { backupCreatedAt: NOW.toISOString(), backupAuditSeq: 30, backupSha256: backup.sha256 },
    });
    // The outbox's identity goes on after the restored rows rather than colliding with them.
    await addActivity(db, 1, 100);
    const seqs = (await db.query<{ s: string }>('select seq::text as s from outbox order by outbox.seq')).map(
      (r) => Number(r.s),
    );
    expect(seqs).toEqual(Array.from({ length: 31 }, (_, k) => k + 1));
  });

  it('refuses a backup cut short, altered, or of another party, and leaves the database as it was', async () => {
    const file = join(dir, 'b.gz');
    await writeBackup(db, 'us-cbp', file, NOW);
    const before = await contents(db);
    const whole = await readFile(file);

    const cut = join(dir, 'cut.gz');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expect(restoreBackup(db, cut, 'us-cbp', NOW, 'puente-node')).rejects.toMatchObject({
      code: 'BACKUP_TRUNCATED',
    });

    const lines = gunzipSync(whole).toString('utf8').split('\n');
    const noTrailer = join(dir, 'no-trailer.gz');
    await writeFile(noTrailer, gzipSync(lines.filter((l) => !l.startsWith('{"end":')).join('\n')));
    await expect(inspectBackup(noTrailer)).rejects.toMatchObject({ code: 'BACKUP_TRUNCATED' });

    const altered = join(dir, 'altered.gz');
    const i = lines.findIndex((l) => l.startsWith('inbox_messages\t'));
    lines[i] = lines[i]!.replace('1980-01-02', '1980-01-03');
    await writeFile(altered, gzipSync(lines.join('\n')));
    await expect(restoreBackup(db, altered, 'us-cbp', NOW, 'puente-node')).rejects.toMatchObject({
      code: 'BACKUP_CORRUPT',
    });

    await expect(restoreBackup(db, file, 'sv-dga', NOW, 'puente-node')).rejects.toBeInstanceOf(BackupError);
    await expect(restoreBackup(db, file, 'sv-dga', NOW, 'puente-node')).rejects.toMatchObject({
      code: 'BACKUP_OTHER_PARTY',
    });

    const junk = join(dir, 'junk.gz');
    await writeFile(junk, gzipSync('{"header":{"format":"something-else"}}\n'));
    await expect(inspectBackup(junk)).rejects.toMatchObject({ code: 'BACKUP_UNREADABLE' });

    expect(await contents(db)).toEqual(before);
  });
});
