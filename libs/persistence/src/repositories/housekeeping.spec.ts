import { PgliteDb } from '../db/pglite.db';
import { migrate } from '../migrations/migrate';
import { InboundRejectionsRepository } from './inbound-rejections.repository';
import { OutboundMessagesRepository } from './outbound-messages.repository';
import { OutboxRepository } from './outbox.repository';

const DAY = 86_400_000;
const NOW = new Date('2026-11-30T12:00:00Z');

describe('housekeeping on PGlite: settled outbox rows and old rejection rows', () => {
  let db: PgliteDb;

  beforeAll(async () => {
    db = await PgliteDb.inMemory();
    await migrate(db);
  });
  afterAll(() => db.close());

  it('prunes published rows past retention whose message is settled, and keeps those still awaiting a receipt', async () => {
    const outbox = new OutboxRepository(db);
    const outbound = new OutboundMessagesRepository(db);
    const delivered = '01935a4e-0000-7000-8000-0000000000d1';
    const awaiting = '01935a4e-0000-7000-8000-0000000000a1';
    await db.transaction(async (tx) => {
      for (const id of [delivered, awaiting])
        await outbound.insert(tx, {
          id,
          conversationId: id,
          inReplyTo: null,
          type: 'puente.customs_offense.v1.AssistanceRequest',
          agreementId: 'cmaa-us-sv',
          purpose: 'trafficking',
          createdAt: new Date(NOW.getTime() - 10 * DAY),
          expiresAt: new Date(NOW.getTime() + DAY),
          payload: {},
          recordDigest: 'sha256:aa',
          recipient: 'us-cbp',
          status: 'queued',
          reasonCode: null,
          reasonRule: null,
          reasonDetail: null,
          submittedBy: 'officer',
        });
      const row = (kind: 'message' | 'receipt', messageId: string | null, value: string) => ({
        kind,
        messageId,
        topic: 't',
        key: null,
        value,
        headers: {},
      });
      await outbox.enqueue(tx, [
        row('message', delivered, 'delivered'),
        row('message', awaiting, 'awaiting'),
        row('receipt', null, 'old receipt'),
        row('receipt', null, 'recent receipt'),
        row('receipt', null, 'unpublished'),
      ]);
    });
    const seqs = (await outbox.pending(10)).map((e) => e.seq);
    await outbox.markPublished(db, seqs.slice(0, 3), new Date(NOW.getTime() - 10 * DAY), [
      delivered,
      awaiting,
    ]);
    await outbox.markPublished(db, seqs.slice(3, 4), new Date(NOW.getTime() - 3_600_000));
    await db.transaction((tx) =>
      outbound.settle(tx, {
        id: delivered,
        recipient: 'us-cbp',
        status: 'delivered',
        reasonCode: null,
        rule: null,
        detail: null,
        at: NOW,
      }),
    );

    expect(await outbox.prunePublished(new Date(NOW.getTime() - 7 * DAY))).toBe(2);
    const left = await db.query<{ record_value: string }>('select record_value from outbox order by seq');
    expect(left.map((r) => r.record_value)).toEqual(['awaiting', 'recent receipt', 'unpublished']);
  });

  it('keeps a refused record byte for byte, and deletes rejection rows past retention', async () => {
    const rejections = new InboundRejectionsRepository(db);
    const key = Buffer.from([0x6b, 0x00, 0xff]);
    const row = (offset: string, receivedAt: Date) => ({
      receivedAt,
      topic: 'p.inbox.us-cbp',
      partition: 1,
      offset,
      recordDigest: 'sha256:bb',
      attributedSender: null,
      messageId: null,
      reasonCode: 'MALFORMED_RECORD',
      rule: 'signature',
      detail: 'not a JWS',
      preserved: {
        key: { encoding: 'base64' as const, text: key.toString('base64') },
        value: { encoding: 'utf8' as const, text: 'junk' },
        headers: [
          { name: { encoding: 'utf8', text: 'puente-sender' }, value: { encoding: 'base64', text: 'AA==' } },
        ],
      },
    });
    await db.transaction(async (tx) => {
      await rejections.insert(tx, row('7', new Date(NOW.getTime() - 100 * DAY)));
      await rejections.insert(tx, row('8', NOW));
    });
    const [kept] = await rejections.findBySource('p.inbox.us-cbp', 1, '8');
    expect(Buffer.from(kept?.key?.text ?? '', 'base64')).toEqual(key);
    expect(kept?.value).toEqual({ encoding: 'utf8', text: 'junk' });
    expect(kept?.headers).toEqual(row('8', NOW).preserved.headers);

    expect(await rejections.deleteOlderThan(new Date(NOW.getTime() - 90 * DAY))).toBe(1);
    expect(await rejections.findBySource('p.inbox.us-cbp', 1, '7')).toEqual([]);
    expect(await rejections.findBySource('p.inbox.us-cbp', 1, '8')).toHaveLength(1);
  });
});
