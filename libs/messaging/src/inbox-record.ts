import type { RoutingHeaders } from './record-headers';

/** The `@EventPattern` under which the node's inbox controller receives every record of its inbox topic. */
export const INBOX_RECORD_PATTERN = 'puente.inbox.record';

/** A raw record off the inbox topic, before anything about it is trusted. */
export interface InboxRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: RoutingHeaders;
  readonly sizeBytes: number;
}
