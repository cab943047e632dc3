import { GroupCommitter } from '../db/group-commit';
import { PgliteDb } from '../db/pglite.db';
import { migrate } from '../migrations/migrate';
import { IdempotencyKeysRepository, isIdempotencyKeyConflict } from './idempotency-keys.repository';
import { NodeEventsRepository } from './node-events.repository';
import { WebhookCursorsRepository } from './webhook-cursors.repository';
import { InboxRepository } from './inbox.repository';
import { OutboundMessagesRepository } from './outbound-messages.repository';

describe('events outbox, webhook cursors and idempotency keys on PGlite', () => {
  let db: PgliteDb;
  const at = new Date('2026-11-30T12:00:00Z');
  const data = (messageId: string) => ({
    messageId,
    conversationId: messageId,
    inReplyTo: null,
    messageType: 'puente.customs_offense.v1.AssistanceRequest',
    direction: 'inbound' as const,
    counterpart: 'sv-dga',
    agreement: 'cmaa-us-sv',
    status: 'received',
    reasonCode: null,
  });

  beforeAll(async () => {
    db = await PgliteDb.inMemory();
    await migrate(db);
  });
  afterAll(() => db.close());

  it('keeps one event per fact, and reads events in numeric order past 9, 99, 999', async () => {
    const events = new NodeEventsRepository(db);
    const commits = new GroupCommitter(db);
    await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        commits.run((tx) =>
          events.append(tx, at, { subject: `received:${i}`, type: 'message.received', data: data(`m-${i}`) }),
        ),
      ),
    );
    // The same fact again (a second receipt for a settled message, say) adds nothing.
    await commits.run((tx) =>
      events.append(tx, at, { subject: 'received:3', type: 'message.received', data: data('again') }),
    );
    const read = await events.after('5', 200);
    expect(read).toHaveLength(145);
    expect(read.map((e) => Number(e.seq))).toEqual(Array.from({ length: 145 }, (_, i) => i + 6));
    expect(read.map((e) => e.data.messageId)).not.toContain('again');
    expect(await events.after('0', 10, ['message.delivered'])).toEqual([]);
    expect(await events.countAfter('100')).toBe(50);
  });

  it('starts a new endpoint at the end of the sequence and keeps its dead letters', async () => {
    const cursors = new WebhookCursorsRepository(db);
    await cursors.ensure(['cases']);
    expect((await cursors.find('cases'))?.deliveredSeq).toBe('150');
    await cursors.recordFailure('cases', 2, new Date(at.getTime() + 1000), 'HTTP 500');
    expect(await cursors.find('cases')).toMatchObject({ attempts: 2, lastError: 'HTTP 500' });
    await db.transaction((tx) =>
      cursors.deadLetter(tx, {
        endpointId: 'cases',
        seq: '151',
        eventId: '01935a4e-0000-7000-8000-000000000001',
        attempts: 3,
        error: 'timeout',
        at,
      }),
    );
    expect(await cursors.find('cases')).toMatchObject({ deliveredSeq: '151', attempts: 0, lastError: null });
    expect(await cursors.stats()).toEqual([
      { endpointId: 'cases', deliveredSeq: '151', attempts: 0, lastError: null, deadLetters: 1 },
    ]);
    // Events every endpoint has passed, and old enough, are pruned; the rest stay.
    const events = new NodeEventsRepository(db);
    expect(await events.prune(new Date(at.getTime() + 1), await cursors.minDeliveredSeq(['cases']))).toBe(
      150,
    );
  });

  it('refuses a second use of a key by the same client inside the transaction, not by another client', async () => {
    const keys = new IdempotencyKeysRepository(db);
    const row = (clientId: string, messageId: string) => ({
      clientId,
      key: 'k-1',
      requestSha256: 'aa',
      messageId,
      conversationId: messageId,
      createdAt: at,
    });
    await db.transaction((tx) => keys.insert(tx, row('officer', '01935a4e-0000-7000-8000-000000000010')));
    await db.transaction((tx) => keys.insert(tx, row('other', '01935a4e-0000-7000-8000-000000000011')));
    const second = await db
      .transaction((tx) => keys.insert(tx, row('officer', '01935a4e-0000-7000-8000-000000000012')))
      .catch((e: unknown) => e);
    expect(isIdempotencyKeyConflict(second)).toBe(true);
    expect((await keys.find('officer', 'k-1'))?.messageId).toBe('01935a4e-0000-7000-8000-000000000010');
    expect(await keys.deleteOlderThan(new Date(at.getTime() + 1))).toBe(2);
    expect(await keys.find('officer', 'k-1')).toBeUndefined();
  });

  it('reports a request past its reply-by date without an answer as overdue once, on either side', async () => {
    const request = 'puente.customs_offense.v1.AssistanceRequest';
    const id = (n: number) => `01935a4e-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`;
    const header = (n: number, replyBy: string) => ({
      id: id(n),
      conversationId: id(n),
      inReplyTo: null,
      type: request,
      agreementId: 'cmaa-us-sv',
      purpose: 'trafficking',
      createdAt: at,
      expiresAt: new Date(at.getTime() + 86_400_000),
      payload: { caseReference: 'X', replyBy },
      recordDigest: 'sha256:aa',
    });
    const inbox = new InboxRepository(db);
    const outbound = new OutboundMessagesRepository(db);
    await db.transaction(async (tx) => {
      await inbox.insert(tx, { ...header(1, '2026-11-01'), sender: 'sv-dga', receivedAt: at }); // overdue
      await inbox.insert(tx, { ...header(2, '2026-12-31'), sender: 'sv-dga', receivedAt: at }); // not yet due
      await inbox.insert(tx, { ...header(3, '2026-11-01'), sender: 'sv-dga', receivedAt: at }); // answered below
      const sent = {
        recipient: 'sv-dga',
        status: 'sent' as const,
        reasonCode: null,
        reasonRule: null,
        reasonDetail: null,
        submittedBy: 'officer',
      };
      await outbound.insert(tx, { ...header(4, '2026-11-01'), inReplyTo: null, ...sent }); // ours, unanswered
      await outbound.insert(tx, {
        ...header(5, ''),
        type: 'puente.customs_offense.v1.AssistanceResponse',
        inReplyTo: id(3),
        ...sent,
      });
    });
    const events = new NodeEventsRepository(db);
    const before = await events.lastSeq();
    expect(await db.transaction((tx) => events.appendOverdue(tx, request, '2026-11-30', at))).toBe(2);
    expect(await db.transaction((tx) => events.appendOverdue(tx, request, '2026-12-01', at))).toBe(0);
    const overdue = await events.after(before, 10, ['message.overdue']);
    expect(overdue.map((e) => [e.data.messageId, e.data.direction, e.data.status])).toEqual(
      expect.arrayContaining([
        [id(1), 'inbound', 'overdue'],
        [id(4), 'outbound', 'overdue'],
      ]),
    );
    expect(JSON.stringify(overdue)).not.toContain('replyBy');
  });
});
