import { MessageType, type PartyId } from '@app/contracts';
import { AuditLogRepository } from '@app/persistence';
import type { TestNetwork } from './test-network';

export interface ReceiverFigures {
  /** Messages whose effects the receiver committed more than once (inbox rows, `message.received` entries). */
  readonly storedTwice: number;
  /** Receipts the receiver issued, one per message id by its receipts table. */
  readonly receiptsIssued: number;
  /**
   * Copies of those receipts on the wire (the sender's inbox topic), receipts found more than once
   * there, and receipts issued but not found there at all.
   */
  readonly receiptsOnWire: number;
  readonly receiptsSentTwice: number;
  readonly receiptsNotOnWire: number;
  /** Whether the receiver's audit chain is still one unbroken chain. */
  readonly auditChainOk: boolean;
}

/**
 * What a receiver with several replicas must show after a run: each message's effects committed once,
 * one receipt per message id issued and put on the wire, and one audit chain. A copy on the wire
 * beyond the first can only come from a relay pass cut between the broker's acknowledgement and the
 * outbox mark (see docs/operations.md, "Outbox"); the tests bound it.
 */
export async function checkReceiver(
  network: TestNetwork,
  from: PartyId,
  to: PartyId,
): Promise<ReceiverFigures> {
  const db = network.node(to).db;
  const [twice] = await db.query<{ n: string }>(
    `select (select count(*) from inbox_messages where sender = $1) - (select count(distinct id) from inbox_messages where sender = $1)
          + (select count(*) from (select message_id from audit_log where kind = 'message.received' and counterpart = $1
                                    group by message_id having count(*) > 1) d) as n`,
    [from],
  );
  const issued = await db.query<{ receipt_id: string }>(
    `select receipt_id::text as receipt_id from receipts where direction = 'issued' and counterpart = $1`,
    [from],
  );
  const onWire = new Map<string, number>();
  for (const r of await network.tap.readAll(network.inboxTopic(from), 3000))
    if (r.headers['puente-type'] === MessageType.Receipt && r.headers['puente-sender'] === to) {
      const id = r.headers['puente-message-id'] ?? '';
      onWire.set(id, (onWire.get(id) ?? 0) + 1);
    }
  const verdict = await new AuditLogRepository(db).verify();
  return {
    storedTwice: Number(twice?.n ?? 0),
    receiptsIssued: new Set(issued.map((r) => r.receipt_id)).size,
    receiptsOnWire: issued.reduce((n, r) => n + (onWire.get(r.receipt_id) ?? 0), 0),
    receiptsSentTwice: issued.filter((r) => (onWire.get(r.receipt_id) ?? 0) > 1).length,
    receiptsNotOnWire: issued.filter((r) => !onWire.has(r.receipt_id)).length,
    auditChainOk: verdict.ok,
  };
}

/** The receiver's line beside the fault-test line. */
export function reportReceiver(test: string, f: ReceiverFigures): void {
  process.stdout.write(
    `| ${test} | receiver | stored twice ${f.storedTwice} | receipts issued ${f.receiptsIssued} | on the wire ${f.receiptsOnWire} | sent twice ${f.receiptsSentTwice} | not on the wire ${f.receiptsNotOnWire} | audit chain ${f.auditChainOk ? 'ok' : 'BROKEN'} |\n`,
  );
}
