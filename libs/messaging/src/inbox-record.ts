import type { IHeaders } from 'kafkajs';
import type { RoutingHeaders } from './record-headers';

/** The `@EventPattern` under which the node's inbox controller receives every record of its inbox topic. */
export const INBOX_RECORD_PATTERN = 'puente.inbox.record';

/**
 * The `@EventPattern` of the handler that sets a record aside (dead letter and rejection row) once
 * handling it failed for good: a {@link SetAsideRecord}. Throwing from it means a fault (database
 * down): the transport retries setting it aside, never skips it.
 */
export const INBOX_SET_ASIDE_PATTERN = 'puente.inbox.set-aside';

/** A raw record off the inbox topic, before anything about it is trusted. */
export interface InboxRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The key as text when it is clean UTF-8; null when absent or not (see `rawKey`). */
  readonly key: string | null;
  readonly value: Buffer | null;
  /** Routing headers as UTF-8 text, untrusted: the judge compares them with the signed envelope. */
  readonly headers: RoutingHeaders;
  readonly sizeBytes: number;
  /** The key and headers exactly as they arrived, for setting the record aside byte for byte. */
  readonly rawKey: Buffer | null;
  readonly rawHeaders: IHeaders;
}

export interface SetAsideRecord {
  readonly record: InboxRecord;
  /** How the handler failed, in at most a few hundred characters (never the record's contents). */
  readonly failure: string;
  readonly attempts: number;
}

/** Names the Kafka record itself (`topic:partition:offset`): the same name when it is read again. */
export function sourceRecord(record: Pick<InboxRecord, 'topic' | 'partition' | 'offset'>): string {
  return `${record.topic}:${record.partition}:${record.offset}`;
}
