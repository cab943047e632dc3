/** Plain records the repositories read and write. Payloads are proto3-JSON objects. */
export type JsonRecord = Record<string, unknown>;

export type OutboundStatus = 'queued' | 'sent' | 'delivered' | 'rejected' | 'failed';

export interface MessageHeaderFields {
  readonly id: string;
  readonly conversationId: string;
  readonly inReplyTo: string | null;
  readonly type: string;
  readonly agreementId: string;
  readonly purpose: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly payload: JsonRecord;
  readonly recordDigest: string;
  /** Set once the retention job emptied the payload. */
  readonly redactedAt?: Date | null;
  /** Set once the masking job replaced names, dates of birth and document numbers by keyed digests. */
  readonly maskedAt?: Date | null;
}

export interface OutboundMessageRecord extends MessageHeaderFields {
  readonly recipient: string;
  readonly status: OutboundStatus;
  readonly reasonCode: string | null;
  readonly reasonRule: string | null;
  readonly reasonDetail: string | null;
  readonly submittedBy: string;
  readonly sentAt: Date | null;
  readonly settledAt: Date | null;
}

/** An outbound message without its payload (see OutboundMessagesRepository.findSummaries). */
export type OutboundMessageSummary = Omit<OutboundMessageRecord, 'payload'>;

export interface InboxMessageRecord extends MessageHeaderFields {
  readonly sender: string;
  readonly receivedAt: Date;
  /** The record's compact JWS exactly as received (written on insert; listings do not read it back). */
  readonly recordValue?: string | null;
  /**
   * The Kafka record it was first stored from (`topic:partition:offset`; null for rows stored before
   * it was kept). Written on insert; read by the duplicate check only.
   */
  readonly sourceRecord?: string | null;
}

/** What a peer signed, as this node received it: the evidence behind an inbox row. */
export interface SignedInboxRecord {
  readonly sender: string;
  readonly messageId: string;
  /** The compact JWS byte for byte; its detached form (`header..signature`) once retention redacted it; null for rows stored before it was kept. */
  readonly recordValue: string | null;
  readonly recordDigest: string;
  readonly receivedAt: Date;
  readonly redactedAt: Date | null;
}

export interface OutboxEntry {
  readonly kind: 'message' | 'receipt' | 'dead-letter';
  readonly messageId: string | null;
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface PendingOutboxEntry extends OutboxEntry {
  readonly seq: string;
  readonly attempts: number;
}

export interface ReceiptRecord {
  readonly direction: 'issued' | 'received';
  readonly counterpart: string;
  /** The message acknowledged: a peer's message for `issued`, one of ours for `received`. */
  readonly messageId: string;
  readonly receiptId: string;
  readonly outcome: 'ACCEPTED' | 'REJECTED';
  readonly reasonCode: string | null;
  readonly rule: string | null;
  readonly detail: string | null;
  readonly digest: string;
  /** The signed receipt record as issued, re-sent as-is when the same message arrives again. */
  readonly recordValue: string | null;
  readonly createdAt: Date;
}

export interface InboundRejectionRecord {
  readonly receivedAt: Date;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly recordDigest: string;
  /** The authenticated sender, or null when the record could not be attributed (it went to the DLQ). */
  readonly attributedSender: string | null;
  readonly messageId: string | null;
  readonly reasonCode: string;
  readonly rule: string | null;
  readonly detail: string | null;
  /** The record as it arrived: text when clean UTF-8, base64 otherwise; absent for a record not kept. */
  readonly preserved?: {
    readonly key: { readonly encoding: 'utf8' | 'base64'; readonly text: string } | null;
    readonly value: { readonly encoding: 'utf8' | 'base64'; readonly text: string } | null;
    readonly headers: readonly unknown[];
  };
}

export interface ApiClientRecord {
  readonly id: string;
  readonly agency: string;
  readonly roles: readonly string[];
  readonly tokenSha256: string;
}
