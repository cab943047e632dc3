import type { NodeConfig } from '@app/config';
import { type EnvelopeFields, MessageType } from '@app/contracts';
import type { InboxRecord } from '@app/messaging';
import type { FlowEvent, FlowEventsPublisher } from '@app/observability';
import {
  AuditLogRepository,
  type Db,
  type GroupCommitter,
  InboxRepository,
  NodeEventsRepository,
  OutboxRepository,
  type Queryable,
  ReceiptsRepository,
  type RowSpec,
} from '@app/persistence';
import type { OutboxRelay } from '../outbox/outbox.relay';
import { InboundHandlers } from './inbound-handlers.registry';
import type { InboundJudge } from './inbound.judge';
import type { ReceiptFactory } from './receipt.factory';
import type { ReceiptSettlement } from './receipt.settlement';
import { ReceiveMessageService } from './receive-message.service';
import type { RejectionLedger } from './rejection.ledger';
import type { Verdict } from './verdict';

const envelope: EnvelopeFields = {
  messageId: '01935a4e-0000-7000-8000-00000000000a',
  conversationId: '01935a4e-0000-7000-8000-00000000000a',
  inReplyTo: '',
  type: MessageType.AssistanceRequest,
  schemaVersion: 'v1',
  sender: 'sv-dga',
  recipient: 'us-cbp',
  agreementId: 'cmaa-us-sv',
  purpose: 'trafficking',
  createdAt: new Date('2026-11-29T12:00:00Z'),
  expiresAt: new Date('2026-12-06T12:00:00Z'),
  payload: new Uint8Array(),
  payloadEncryption: 'NONE',
};

const record = (partition: number): InboxRecord => ({
  topic: 'p.inbox.us-cbp',
  partition,
  offset: '0',
  key: envelope.conversationId,
  value: Buffer.from('signed record'),
  headers: {},
  sizeBytes: 13,
  rawKey: Buffer.from(envelope.conversationId),
  rawHeaders: {},
});

/**
 * The service over fakes: a database whose committed inbox the judge reads (so a copy judged after
 * the first one committed is a duplicate), and whose commits take a while, as real ones do.
 */
function receiver() {
  const stored = new Set<string>();
  const inboxRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  const events: FlowEvent[] = [];
  const commits = {
    run: async <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => {
      const rows: { spec: RowSpec; row: readonly unknown[] }[] = [];
      const tx = {
        query: () => Promise.reject(new Error('no direct queries expected')),
        deferRow: (spec: RowSpec, row: readonly unknown[]) => rows.push({ spec, row }),
        deferAudit: () => undefined,
      };
      const result = await work(tx);
      await new Promise((r) => setTimeout(r, 10));
      for (const { spec, row } of rows) {
        if (spec.table === 'node_events') eventRows.push([...row]);
        if (spec.table === 'inbox_messages') {
          inboxRows.push([...row]);
          stored.add(`${String(row[0])}/${String(row[1])}`);
        }
      }
      return result;
    },
  } as unknown as GroupCommitter;
  const judge = {
    judge: async (): Promise<Verdict> => {
      await new Promise((r) => setTimeout(r, 1));
      return stored.has(`${envelope.sender}/${envelope.messageId}`)
        ? { kind: 'duplicate', envelope, previousReceipt: null }
        : { kind: 'accept', envelope, payload: { caseReference: 'A-1' } };
    },
  } as unknown as InboundJudge;
  const receipts = {
    issue: () =>
      Promise.resolve({
        receiptId: '01935a4e-0000-7000-8000-0000000000ff',
        sealed: {
          value: 'receipt jws',
          outbox: { kind: 'receipt', messageId: null, topic: 't', key: null, value: 'jws', headers: {} },
        },
      }),
  } as unknown as ReceiptFactory;
  const handlers = new InboundHandlers();
  const woken: string[] = [];
  handlers.register(MessageType.AssistanceRequest, (e) => woken.push(e.messageId));
  const service = new ReceiveMessageService(
    { party: 'us-cbp', kafka: { topicNamespace: 'p' } } as NodeConfig,
    {} as Db,
    commits,
    { now: () => new Date('2026-11-29T12:00:01Z') },
    { emit: (e: FlowEvent) => events.push(e) } as unknown as FlowEventsPublisher,
    judge,
    receipts,
    { wake: () => undefined } as unknown as OutboxRelay,
    {} as RejectionLedger,
    {} as ReceiptSettlement,
    handlers,
    new InboxRepository({} as Db),
    new OutboxRepository({} as Db),
    new ReceiptsRepository({} as Db),
    new AuditLogRepository({} as Db),
    new NodeEventsRepository({} as Db),
  );
  return { service, inboxRows, eventRows, events, woken };
}

describe('ReceiveMessageService', () => {
  it('stores a message once when copies arrive together: the later copies wait and are duplicates', async () => {
    const { service, inboxRows, eventRows, events, woken } = receiver();
    await Promise.all([service.handle(record(0)), service.handle(record(1)), service.handle(record(2))]);
    expect(inboxRows).toHaveLength(1);
    // One back-office event, in the same transaction as the inbox row, with metadata only.
    expect(eventRows).toHaveLength(1);
    expect(eventRows[0]?.[1]).toBe(`received:${envelope.sender}:${envelope.messageId}`);
    expect(String(eventRows[0]?.[4])).not.toContain('A-1');
    expect(events.map((e) => e.outcome).sort()).toEqual(['DUPLICATE', 'DUPLICATE', 'OK']);
    // The hook registered for the type hears of the accepted message once, not of its duplicates.
    expect(woken).toEqual([envelope.messageId]);
  });
});
