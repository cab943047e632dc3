import type { NodeConfig } from '@app/config';
import { restoreBytes, type PreservedBytes, type PreservedHeader } from '@app/messaging';
import type { FlowEvent, FlowEventsPublisher } from '@app/observability';
import {
  AuditLogRepository,
  GroupCommitter,
  InboundRejectionsRepository,
  migrate,
  OutboxRepository,
  PgliteDb,
} from '@app/persistence';
import { RejectionLedger } from './rejection.ledger';

/** Setting a record aside writes text columns and JSON: no byte a sender chose may make that fail. */
describe('RejectionLedger on PGlite', () => {
  let db: PgliteDb;

  beforeAll(async () => {
    db = await PgliteDb.inMemory();
    await migrate(db);
  });
  afterAll(() => db.close());

  it('sets aside a record with NUL and invalid UTF-8 in key, value and headers, keeping every byte', async () => {
    const events: FlowEvent[] = [];
    const ledger = new RejectionLedger(
      { party: 'us-cbp', kafka: { topicNamespace: 'p' } } as NodeConfig,
      new GroupCommitter(db),
      { now: () => new Date('2026-11-30T12:00:00Z') },
      { emit: (e: FlowEvent) => events.push(e) } as unknown as FlowEventsPublisher,
      new InboundRejectionsRepository(db),
      new AuditLogRepository(db),
      new OutboxRepository(db),
    );
    // Nest's logger would print the warning; this test reads the rows instead.
    Object.defineProperty(ledger, 'logger', { value: { warn: jest.fn() } });
    const key = Buffer.from([0x6b, 0x00, 0xff]);
    const value = Buffer.from([0x00, 0xc3, 0x28, 0x41]);
    const record = {
      topic: 'p.inbox.us-cbp',
      partition: 2,
      offset: '41',
      key: null,
      value,
      headers: { sender: 'sv-dga\u0000' },
      sizeBytes: value.length,
      rawKey: key,
      rawHeaders: { 'puente-sender': Buffer.from('sv-dga\u0000'), 'x\u0000name': Buffer.from([0xfe]) },
    };
    await ledger.setAside({
      record,
      failure: '[22021] invalid byte sequence for encoding "UTF8": 0x00',
      attempts: 1,
    });

    const [row] = await new InboundRejectionsRepository(db).findBySource('p.inbox.us-cbp', 2, '41');
    expect(row?.reasonCode).toBe('UNPROCESSABLE_RECORD');
    expect(restoreBytes(row?.key as PreservedBytes)).toEqual(key);
    expect(restoreBytes(row?.value as PreservedBytes)).toEqual(value);
    const headers = row?.headers as PreservedHeader[];
    expect(
      headers.map((h) => [restoreBytes(h.name).toString('latin1'), h.value && restoreBytes(h.value)]),
    ).toEqual([
      ['puente-sender', Buffer.from('sv-dga\u0000')],
      ['x\u0000name', Buffer.from([0xfe])],
    ]);

    const [dead] = await db.query<{
      record_key: string;
      record_value: string;
      headers: Record<string, string>;
    }>(`select record_key, record_value, headers from outbox where kind = 'dead-letter'`);
    expect(Buffer.from(dead?.record_value ?? '', 'base64')).toEqual(value);
    expect(Buffer.from(dead?.record_key ?? '', 'base64')).toEqual(key);
    expect(dead?.headers).toMatchObject({
      'puente-dlq-reason': 'UNPROCESSABLE_RECORD',
      'puente-dlq-value-encoding': 'base64',
      'puente-dlq-key-encoding': 'base64',
      'puente-dlq-source': 'p.inbox.us-cbp/2/41',
    });
    // The flow event names no party: nothing about the record is trusted.
    expect(events).toEqual([
      expect.objectContaining({ stage: 'dead-letter', outcome: 'UNPROCESSABLE_RECORD' }),
    ]);
    expect(events[0]?.sender).toBeUndefined();
  });
});
