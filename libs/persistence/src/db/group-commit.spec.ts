import { migrate } from '../migrations/migrate';
import { AuditLogRepository } from '../repositories/audit-log.repository';
import { type InsertSpec, type UpdateSpec, writeRow } from './deferred-rows';
import type { Db } from './db';
import { GroupCommitter } from './group-commit';
import { PgliteDb } from './pglite.db';

describe('GroupCommitter', () => {
  let db: PgliteDb;

  beforeAll(async () => {
    db = await PgliteDb.inMemory();
    await migrate(db);
    await db.query('create table gc_probe (id int primary key, note text not null)');
  });
  afterAll(() => db.close());
  beforeEach(() => db.query('delete from gc_probe'));

  const audit = new AuditLogRepository({ query: () => Promise.reject(new Error('unused')) });
  const at = new Date('2026-11-29T12:00:00Z');

  it('commits units that arrive together in fewer transactions, each caller getting its own result', async () => {
    const commits = new GroupCommitter(db, { maxUnits: 8 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        commits.run(async (tx) => {
          await tx.query('insert into gc_probe (id, note) values ($1, $2)', [i, `n${i}`]);
          await audit.append(tx, at, 'message.submitted', null, 'us-cbp', { n: i });
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(commits.stats.units).toBe(20);
    // The first unit starts a transaction alone; the 19 that queued behind it go in batches of 8.
    expect(commits.stats.commits).toBe(1 + Math.ceil(19 / 8));
    expect(await db.query('select count(*)::int as n from gc_probe')).toEqual([{ n: 20 }]);
  });

  it('names a transaction that stays open, with the step it is at, until it ends', async () => {
    const warnings: string[] = [];
    const commits = new GroupCommitter(db, { reportSlow: (m) => warnings.push(m), slowAfterMs: 20 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stuck = commits.run(async (tx) => {
      await tx.query('insert into gc_probe (id, note) values (1, $1)', ['slow']);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 70));
    release();
    await stuck;
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatch(
      /^a group commit of 1 unit\(s\) has been open for \d+ s, at: running unit 1 of 1;/,
    );
    // Nothing more once it committed.
    const after = warnings.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warnings).toHaveLength(after);
  });

  it('chains the deferred audit entries of a batch in order, and the chain verifies', async () => {
    const commits = new GroupCommitter(db);
    const before = await new AuditLogRepository(db).verify();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        commits.run((tx) => audit.append(tx, at, 'message.received', null, 'sv-dga', { n: i })),
      ),
    );
    const after = await new AuditLogRepository(db).verify();
    expect(after.ok).toBe(true);
    expect(after.entries).toBe(before.entries + 10);
    const rows = await db.query<{ n: number }>(
      "select (detail->>'n')::int as n from audit_log where kind = 'message.received' order by seq",
    );
    expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps one failing unit from taking the others with it: they are re-run and commit', async () => {
    const commits = new GroupCommitter(db);
    const outcomes = await Promise.allSettled(
      [1, 2, 2, 3].map((id, i) =>
        commits.run(async (tx) => {
          // the second id 2 violates the primary key
          await tx.query('insert into gc_probe (id, note) values ($1, $2)', [id, `unit ${i}`]);
          await audit.append(tx, at, 'message.submitted', null, null, { id });
          return id;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await db.query('select id, note from gc_probe order by id')).toEqual([
      { id: 1, note: 'unit 0' },
      { id: 2, note: 'unit 1' },
      { id: 3, note: 'unit 3' },
    ]);
    expect((await new AuditLogRepository(db).verify()).ok).toBe(true);
    expect(commits.stats.fallbacks).toBe(1);
  });

  it("writes a batch's deferred rows and audit entries with one statement after the head lock", async () => {
    const insert: InsertSpec = { table: 'gc_probe', columns: [['id'], ['note']] };
    const update: UpdateSpec = {
      table: 'gc_probe',
      columns: [
        ['id', 'int'],
        ['note', 'text'],
      ],
      key: 1,
      set: 'note = v.note',
      where: 't.id = v.id',
    };
    await db.query("insert into gc_probe (id, note) values (100, 'old')");
    const statements: string[] = [];
    const counting = {
      transaction: (fn: Parameters<Db['transaction']>[0]) =>
        db.transaction((tx) =>
          fn({
            query: (sql, params) => {
              statements.push(sql);
              return tx.query(sql, params);
            },
          }),
        ),
    } as Db;
    const commits = new GroupCommitter(counting);
    await Promise.all([
      commits.run(() => new Promise((r) => setTimeout(r, 20))), // holds the next ones together
      ...[1, 2].map((id) =>
        commits.run(async (tx) => {
          await writeRow(tx, insert, [id, `n${id}`]);
          await audit.append(tx, at, 'message.submitted', null, 'us-cbp', { id });
        }),
      ),
      commits.run(async (tx) => {
        await writeRow(tx, update, [100, 'new']);
        await audit.append(tx, at, 'receipt.received', null, 'us-cbp', { id: 100 });
      }),
    ]);
    expect(commits.stats.commits).toBe(2);
    // The second transaction: the head lock, then everything else at once.
    expect(statements.slice(-2)).toEqual([
      expect.stringMatching(/^select .* from audit_head .* for update$/),
      expect.stringMatching(
        /^with w0 as \(insert into gc_probe .*\), w1 as \(update gc_probe as t .*\), w2 as \(insert into audit_log .*\) update audit_head /,
      ),
    ]);
    expect(await db.query('select id, note from gc_probe order by id')).toEqual([
      { id: 1, note: 'n1' },
      { id: 2, note: 'n2' },
      { id: 100, note: 'new' },
    ]);
    expect((await new AuditLogRepository(db).verify()).ok).toBe(true);
  });
});
