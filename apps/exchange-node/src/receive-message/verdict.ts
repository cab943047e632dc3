import type { EnvelopeFields, PartyId, ReasonCode } from '@app/contracts';

export interface Refusal {
  readonly reason: ReasonCode;
  /** The field path or agreement rule that caused it — never a value. */
  readonly rule: string;
  readonly detail: string;
}

/** What the inbound pipeline concluded about one record; ReceiveMessageService acts on it. */
export type Verdict =
  /** Cannot be attributed to an authentic sender: to the DLQ, no receipt. */
  | ({
      readonly kind: 'dead-letter';
      readonly claimedSender?: PartyId;
      readonly messageId?: string;
    } & Refusal)
  /** An authentic sender's record refused: a signed rejection receipt goes back (unless it is itself a receipt). */
  | ({
      readonly kind: 'reject';
      readonly sender: PartyId;
      readonly envelope?: EnvelopeFields;
      readonly answer: boolean;
    } & Refusal)
  /** The same record again: stored once; the receipt issued the first time is sent again. */
  | {
      readonly kind: 'duplicate';
      readonly envelope: EnvelopeFields;
      readonly previousReceipt: { readonly receiptId: string; readonly recordValue: string } | null;
    }
  /** A peer's receipt for a message this node sent. */
  | { readonly kind: 'receipt'; readonly envelope: EnvelopeFields; readonly receipt: Record<string, unknown> }
  | { readonly kind: 'accept'; readonly envelope: EnvelopeFields; readonly payload: Record<string, unknown> };
