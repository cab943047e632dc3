/**
 * One metadata-only event per pipeline step, published to `puente.ops.flow` (docs/architecture.md).
 * The type has no field that could hold payload contents, and `toFlowEvent` copies only these keys,
 * so personal data cannot reach the ops topic by accident.
 */
export type FlowStage =
  // sending node
  | 'submit' // REST request authorised, signed and stored with its outbox row (or refused)
  | 'publish' // record written to the recipient's inbox topic
  | 'settle' // the peer's receipt arrived: delivered or rejected
  | 'expire' // no receipt before expiry: failed
  // receiving node
  | 'receive' // a record was taken off the inbox topic and judged (accepted, duplicate or refused)
  | 'dead-letter' // the record could not be attributed to an authentic sender
  // either node
  | 'trust'; // a key announcement on the trust topic was applied (OK) or refused (a reason code)

export interface FlowEvent {
  readonly at: string;
  readonly node: string;
  readonly stage: FlowStage;
  /** `OK`, `DUPLICATE`, `ACCEPTED`/`REJECTED` for receipts, or a reason code. */
  readonly outcome: string;
  readonly messageId?: string;
  readonly conversationId?: string;
  readonly type?: string;
  readonly agreementId?: string;
  readonly sender?: string;
  readonly recipient?: string;
  /** The rule or field path that caused a refusal (a path, never a value). */
  readonly rule?: string;
  readonly sizeBytes?: number;
  readonly durationMs?: number;
  /** For `settle`: time from acceptance for sending to the receipt. */
  readonly endToEndMs?: number;
}

const KEYS: readonly (keyof FlowEvent)[] = [
  'at',
  'node',
  'stage',
  'outcome',
  'messageId',
  'conversationId',
  'type',
  'agreementId',
  'sender',
  'recipient',
  'rule',
  'sizeBytes',
  'durationMs',
  'endToEndMs',
];

/** Copies only the known metadata keys: a defensive allow-list at the boundary to the ops topic. */
export function toFlowEvent(input: FlowEvent): FlowEvent {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (input[k] !== undefined) out[k] = input[k];
  return out as unknown as FlowEvent;
}
