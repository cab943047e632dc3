import { GroupCommitter } from '../db/group-commit';
import { PgliteDb } from '../db/pglite.db';
import { migrate } from '../migrations/migrate';
import { InboxRepository } from './inbox.repository';
import { OutboundMessagesRepository } from './outbound-messages.repository';
import { OutboxRepository } from './outbox.repository';
import type { InboxMessageRecord } from './records';
import { ReceiptsRepository } from './receipts.repository';
import { AuditLogRepository } from './audit-log.repository';
import { RetentionRepository } from './retention.repository';

describe('persistence on PGlite (the same SQL as PostgreSQL)', () => {
  let db: PgliteDb;

  beforeAll(async () => {
    db = await PgliteDb.inMemory();
    await migrate(db);
  });
  afterAll(() => db.close());

  it('applies migrations once', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  const message = (id: string, over: Partial<InboxMessageRecord> = {}): InboxMessageRecord => ({
    sender: 'sv-dga',
    id,
    conversationId: id,
    inReplyTo: null,
    type: 'puente.customs_offense.v1.AssistanceRequest',
    agreementId: 'cmaa-us-sv',
    purpose: 'trafficking',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2026-01-08T00:00:00Z'),
    payload: { caseReference: 'A-1' },
    recordDigest: 'sha256:aa',
    receivedAt: new Date('2026-01-01T00:00:01Z'),
    ...over,
  });

  it('stores an inbound message once per (sender, id): storing it again fails and changes nothing', async () => {
    const inbox = new InboxRepository(db);
    const id = '01935a4e-0000-7000-8000-000000000001';
    await db.transaction((tx) => inbox.insert(tx, message(id)));
    await expect(
      db.transaction((tx) => inbox.insert(tx, message(id, { payload: { caseReference: 'B-2' } }))),
    ).rejects.toMatchObject({ code: '23505' });
    // The same id from another sender is another message.
    await db.transaction((tx) => inbox.insert(tx, message(id, { sender: 'us-ice' })));
    expect((await inbox.find('sv-dga', id))?.payload).toEqual({ caseReference: 'A-1' });
    expect(await inbox.count()).toBe(2);
  });

  it('keeps what the peer signed, byte for byte, retrievable by message id, and reduces it to its detached form with the payload', async () => {
    const inbox = new InboxRepository(db);
    const receipts = new ReceiptsRepository(db);
    const id = '01935a4e-0000-7000-8000-0000000000e1';
    const jws = 'eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2lnbmF0dXJl';
    await db.transaction((tx) =>
      inbox.insert(tx, message(id, { agreementId: 'atsg-evidence', recordValue: jws })),
    );
    await db.transaction((tx) =>
      receipts.save(tx, {
        direction: 'issued',
        counterpart: 'sv-dga',
        messageId: id,
        receiptId: '01935a4e-0000-7000-8000-0000000000e2',
        outcome: 'ACCEPTED',
        reasonCode: null,
        rule: null,
        detail: null,
        digest: 'sha256:aa',
        recordValue: 'receipt-jws',
        createdAt: new Date('2026-01-01T00:00:02Z'),
      }),
    );
    expect(await inbox.findSignedRecords(id)).toEqual([
      {
        sender: 'sv-dga',
        messageId: id,
        recordValue: jws,
        recordDigest: 'sha256:aa',
        receivedAt: new Date('2026-01-01T00:00:01Z'),
        redactedAt: null,
      },
    ]);
    expect((await receipts.listForMessage(id)).map((r) => [r.direction, r.recordValue])).toEqual([
      ['issued', 'receipt-jws'],
    ]);
    // Listings never carry the record.
    expect(await inbox.find('sv-dga', id)).not.toHaveProperty('recordValue');

    const now = new Date('2026-06-01T00:00:00Z');
    await db.transaction((tx) =>
      new RetentionRepository().redactOlderThan(tx, 'atsg-evidence', new Date('2026-02-01T00:00:00Z'), now),
    );
    // The payload goes; the signature stays listed in the record's detached form (header..signature).
    const [header, , signature] = jws.split('.');
    expect(await inbox.findSignedRecords(id)).toMatchObject([
      { recordValue: `${header}..${signature}`, recordDigest: 'sha256:aa', redactedAt: now },
    ]);
    // Receipts carry no payload values: they stay as evidence of what was exchanged.
    expect((await receipts.listForMessage(id))[0]?.recordValue).toBe('receipt-jws');
  });

  it('never overwrites an accepted receipt with a later rejection', async () => {
    const receipts = new ReceiptsRepository(db);
    const base = {
      direction: 'issued' as const,
      counterpart: 'sv-dga',
      messageId: '01935a4e-0000-7000-8000-000000000002',
      reasonCode: null,
      rule: null,
      detail: null,
      digest: 'sha256:bb',
      recordValue: 'jws-accepted',
      createdAt: new Date(),
    };
    await db.transaction((tx) =>
      receipts.save(tx, { ...base, receiptId: '01935a4e-0000-7000-8000-0000000000a1', outcome: 'ACCEPTED' }),
    );
    await db.transaction((tx) =>
      receipts.save(tx, {
        ...base,
        receiptId: '01935a4e-0000-7000-8000-0000000000a2',
        outcome: 'REJECTED',
        reasonCode: 'REPLAYED',
        recordValue: 'jws-rejected',
      }),
    );
    expect(await receipts.find('issued', 'sv-dga', base.messageId)).toMatchObject({
      outcome: 'ACCEPTED',
      recordValue: 'jws-accepted',
    });
  });

  it('hands out the outbox in order, and only what is not published', async () => {
    const outbox = new OutboxRepository(db);
    const entry = (n: number) => ({
      kind: 'message' as const,
      messageId: null,
      topic: 't',
      key: `k${n}`,
      value: `v${n}`,
      headers: { n: String(n) },
    });
    const twelve = Array.from({ length: 12 }, (_, i) => entry(i + 1));
    await db.transaction((tx) => outbox.enqueue(tx, twelve));
    const pending = await outbox.pending(20);
    // In insertion order past ten rows: 10 comes after 9, not after 1.
    expect(pending.map((e) => e.value)).toEqual(twelve.map((e) => e.value));
    expect(pending[0]?.headers).toEqual({ n: '1' });
    await db.transaction((tx) => outbox.markPublished(tx, [pending[0]?.seq ?? ''], new Date()));
    expect((await outbox.pending(2)).map((e) => e.value)).toEqual(['v2', 'v3']);
    // Bounded by bytes of key and value too (4 each here), and never less than one row.
    expect((await outbox.pending(20, 11)).map((e) => e.value)).toEqual(['v2', 'v3']);
    expect((await outbox.pending(20, 12)).map((e) => e.value)).toEqual(['v2', 'v3', 'v4']);
    expect((await outbox.pending(20, 1)).map((e) => e.value)).toEqual(['v2']);
    expect(await outbox.backlog()).toBe(11);

    // Publishing a message's row also moves the message from queued to sent, in the same statement.
    const outbound = new OutboundMessagesRepository(db);
    const id = '01935a4e-0000-7000-8000-000000000005';
    await db.transaction((tx) =>
      outbound.insert(tx, {
        ...message(id),
        recipient: 'us-cbp',
        status: 'queued',
        reasonCode: null,
        reasonRule: null,
        reasonDetail: null,
        submittedBy: 'officer',
      }),
    );
    const at = new Date('2026-11-29T12:00:00Z');
    await outbox.markPublished(db, [pending[1]?.seq ?? ''], at, [id]);
    expect((await outbox.pending(1)).map((e) => e.value)).toEqual(['v3']);
    expect(await outbound.findById(id)).toMatchObject({ status: 'sent', sentAt: at });
  });

  it('moves an outbound message forward only: a settled message is not settled again', async () => {
    const outbound = new OutboundMessagesRepository(db);
    const id = '01935a4e-0000-7000-8000-000000000003';
    const other = '01935a4e-0000-7000-8000-000000000004';
    await db.transaction(async (tx) => {
      for (const m of [id, other])
        await outbound.insert(tx, {
          ...message(m),
          recipient: 'us-cbp',
          status: 'queued',
          reasonCode: null,
          reasonRule: null,
          reasonDetail: null,
          submittedBy: 'officer',
        });
    });
    const settlement = (m: string, status: 'delivered' | 'rejected', recipient = 'us-cbp') => ({
      id: m,
      recipient,
      status,
      reasonCode: status === 'rejected' ? 'SCHEMA_INVALID' : null,
      rule: status === 'rejected' ? 'payload.caseReference' : null,
      detail: null,
      at: new Date(),
    });
    const status = async (m: string) => (await outbound.findById(m))?.status;

    // Only the party the message was sent to can settle it.
    await db.transaction((tx) => outbound.settle(tx, settlement(id, 'delivered', 'mx-anam')));
    expect(await status(id)).toBe('queued');
    await db.transaction((tx) => outbound.settle(tx, settlement(id, 'delivered')));
    expect(await status(id)).toBe('delivered');
    await db.transaction((tx) => outbound.settle(tx, settlement(id, 'rejected')));
    expect(await status(id)).toBe('delivered');
    await new OutboxRepository(db).markPublished(db, [], new Date(), [id]);
    expect(await status(id)).toBe('delivered');

    // Deferred in a group commit, settlements of one batch are one statement with the same result:
    // the first settlement of a message wins over a later one in the same batch.
    const commits = new GroupCommitter(db);
    await Promise.all([
      commits.run(() => new Promise((r) => setTimeout(r, 20))), // holds the next ones together
      commits.run((tx) => outbound.settle(tx, settlement(other, 'rejected', 'mx-anam'))),
      commits.run((tx) => outbound.settle(tx, settlement(other, 'rejected'))),
      commits.run((tx) => outbound.settle(tx, settlement(other, 'delivered'))),
      commits.run((tx) => outbound.settle(tx, settlement(id, 'rejected'))),
    ]);
    expect(commits.stats.commits).toBe(2);
    const settled = await outbound.findById(other);
    expect(settled).toMatchObject({ status: 'rejected', reasonCode: 'SCHEMA_INVALID' });
    expect(settled?.sentAt).toEqual(settled?.settledAt);
    expect(await status(id)).toBe('delivered');
  });
});

describe('AuditLogRepository', () => {
  let db: PgliteDb;
  let audit: AuditLogRepository;

  beforeEach(async () => {
    db = await PgliteDb.inMemory();
    await migrate(db);
    audit = new AuditLogRepository(db);
    // More than ten entries: sequence numbers must sort as numbers (10 after 9), not as text.
    for (let i = 0; i < 12; i++) {
      await db.transaction((tx) =>
        audit.append(tx, new Date(Date.UTC(2026, 0, 1, 0, 0, i)), 'message.received', `m${i}`, 'sv-dga', {
          digest: `sha256:${i}`,
        }),
      );
    }
  });
  afterEach(() => db.close());

  it('verifies an untouched chain', async () => {
    expect(await audit.verify(5)).toMatchObject({ ok: true, entries: 12 });
  });

  it('names the first altered entry', async () => {
    await db.query(`update audit_log set detail = '{"digest":"sha256:forged"}'::jsonb where seq = 3`);
    expect(await audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'altered' });
  });

  it('names a removed entry, in the middle or at the end', async () => {
    await db.query('delete from audit_log where seq = 2');
    expect(await audit.verify()).toMatchObject({ ok: false, firstBadSeq: 2, problem: 'removed' });
  });

  it('detects entries cut from the end through the head', async () => {
    await db.query('delete from audit_log where seq = 12');
    expect(await audit.verify()).toMatchObject({ ok: false, firstBadSeq: 12, problem: 'head-mismatch' });
  });
});

describe('signed records in the database', () => {
  it('are stored whole, not compressed, where a text column of the same row would be', async () => {
    const db = await PgliteDb.inMemory();
    try {
      await migrate(db);
      const outbox = new OutboxRepository(db);
      // Compressible on purpose: the setting, not the content, keeps it uncompressed.
      const value = 'eyJhbGciOiJFZERTQSJ9.'.repeat(400);
      await db.transaction((tx) =>
        outbox.enqueue(tx, [{ kind: 'message', messageId: null, topic: 't', key: 'k', value, headers: {} }]),
      );
      await db.query('update outbox set last_error = record_value');
      const [row] = await db.query<{ record: string | null; error: string | null }>(
        'select pg_column_compression(record_value) as record, pg_column_compression(last_error) as error from outbox',
      );
      expect(row).toEqual({ record: null, error: 'pglz' });
      expect((await outbox.pending(1))[0]?.value).toBe(value);
    } finally {
      await db.close();
    }
  });
});
