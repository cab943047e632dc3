import { Inject, Injectable } from '@nestjs/common';
import {
  type Agreement,
  type AgreementsCatalog,
  checkPersonalData,
  decide,
  payloadEncryptionFor,
} from '@app/agreements';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { decodePayload, type EnvelopeFields, MessageType, PayloadInvalidError } from '@app/contracts';
import { type InboxRecord, sourceRecord } from '@app/messaging';
import {
  BatchLoader,
  type InboxMessageRecord,
  InboxRepository,
  OutboundMessagesRepository,
  ReceiptsRepository,
} from '@app/persistence';
import { DecryptError } from '@app/signing';
import { RecordCodec } from '../shared/record.codec';
import { CATALOG } from '../shared/tokens';
import { OwnKeyDecrypter } from './own-key.decrypter';
import { ReferenceCheck } from './reference.check';
import type { Refusal, Verdict } from './verdict';

type Step<T> = { ok: true; value: T } | ({ ok: false } & Refusal);
const refuse = (reason: Refusal['reason'], rule: string, detail: string): { ok: false } & Refusal => ({
  ok: false,
  reason,
  rule,
  detail,
});

/**
 * Inbound pipeline up to the verdict: the record opened (RecordCodec.open: size → signature by a
 * trusted key → envelope) → duplicate →
 * headers agree (else DLQ, no receipt) → addressed to me → freshness → authorise again on this side (the agreement decision, on
 * the signed envelope alone) → conversation → then, and only then, decrypt (bound to this envelope)
 * and validate the payload → the agreement's personal-data fields → the earlier message it is about
 * (ReferenceCheck: only a message's provider may correct or withdraw it). Nothing is decrypted for a sender,
 * type or purpose no agreement permits. Judging never throws for bad input; it throws only for faults
 * (database unreachable), which the transport retries.
 */
@Injectable()
export class InboundJudge {
  /** Duplicate checks of records handled together, in one query. */
  private readonly received: BatchLoader<{ sender: string; id: string }, InboxMessageRecord>;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    private readonly codec: RecordCodec,
    private readonly decrypter: OwnKeyDecrypter,
    private readonly inbox: InboxRepository,
    private readonly outbound: OutboundMessagesRepository,
    private readonly receipts: ReceiptsRepository,
    private readonly references: ReferenceCheck,
  ) {
    this.received = new BatchLoader(
      (keys) => this.inbox.findMany(keys),
      (k) => `${k.sender}/${k.id}`,
    );
  }

  async judge(record: InboxRecord, digest: string, now: Date): Promise<Verdict> {
    const opened = this.codec.open(record);
    if (!opened.ok) {
      const { reason, rule, detail } = opened;
      return opened.attributable
        ? { kind: 'reject', sender: opened.sender, answer: true, reason, rule, detail }
        : {
            kind: 'dead-letter',
            reason,
            rule,
            detail,
            claimedSender: opened.claimedSender,
            messageId: opened.messageId,
          };
    }
    const { signer, envelope } = opened;
    const isReceipt = envelope.type === MessageType.Receipt;
    const reject = (r: Refusal): Verdict => ({
      kind: 'reject',
      sender: signer,
      envelope,
      answer: !isReceipt,
      ...r,
    });

    // First: is this a message already received? A copy of an accepted record — replayed late, its
    // headers changed — is a duplicate whatever else is wrong with it, and can never earn a REJECTED
    // receipt or audit entry for a message that was accepted.
    if (!isReceipt) {
      const previous = await this.received.load({ sender: envelope.sender, id: envelope.messageId });
      if (previous) {
        if (previous.recordDigest !== digest)
          return reject({
            reason: 'REPLAYED',
            rule: 'messageId',
            detail: 'a different message with this id was already received',
          });
        // The very record stored before, read again (a rebalance moved its partition to another
        // replica, or a restart, before its offset was committed): its receipt went out with the
        // inbox row, and sending it again would put a second copy on the wire. A copy the sender
        // published again (it lost our receipt) is another record, and gets the receipt again.
        if (previous.sourceRecord === sourceRecord(record))
          return { kind: 'duplicate', envelope, previousReceipt: null };
        const receipt = await this.receipts.find('issued', envelope.sender, envelope.messageId);
        const previousReceipt = receipt?.recordValue
          ? { receiptId: receipt.receiptId, recordValue: receipt.recordValue }
          : null;
        return { kind: 'duplicate', envelope, previousReceipt };
      }
    }

    // Headers that disagree with the signed content: anyone with write access to the topic can
    // change a header, so the record is not attributable as sent. To the DLQ, no receipt — a signed
    // REJECTED for a tampered copy arriving first would make the sender give up the genuine message.
    const headers = this.checkHeaders(record, envelope);
    if (!headers.ok)
      return {
        kind: 'dead-letter',
        reason: headers.reason,
        rule: headers.rule,
        detail: headers.detail,
        claimedSender: envelope.sender,
        messageId: envelope.messageId,
      };

    const checked = this.checkRouting(envelope, now);
    if (!checked.ok) return reject(checked);

    if (isReceipt) return this.judgeReceipt(envelope, reject);

    const authorised = this.authorise(envelope, now);
    if (!authorised.ok) return reject(authorised);

    const thread = await this.checkConversation(envelope);
    if (!thread.ok) return reject(thread);

    const payload = await this.openPayload(envelope, authorised.value, now);
    if (!payload.ok) return reject(payload);

    const fields = checkPersonalData(authorised.value, payload.value);
    if (!fields.permitted) return reject(refuse(fields.reason, `payload.${fields.field}`, fields.detail));

    const reference = await this.references.check(envelope, payload.value);
    if (!reference.ok) return reject(reference);

    return { kind: 'accept', envelope, payload: payload.value };
  }

  /** A party id from an untrusted place (a header, a key id) only when it is one this node knows. */

  private checkHeaders(record: InboxRecord, e: EnvelopeFields): Step<true> {
    const h = record.headers;
    const pairs: [string, string | undefined, string][] = [
      ['puente-type', h.type, e.type],
      ['puente-sender', h.sender, e.sender],
      ['puente-recipient', h.recipient, e.recipient],
      ['puente-message-id', h.messageId, e.messageId],
    ];
    for (const [name, header, signed] of pairs) {
      if (header !== signed)
        return refuse(
          'HEADER_MISMATCH',
          `headers.${name}`,
          `record header ${name} disagrees with the signed envelope`,
        );
    }
    return { ok: true, value: true };
  }

  private checkRouting(e: EnvelopeFields, now: Date): Step<true> {
    if (e.recipient !== this.config.party)
      return refuse(
        'NOT_ADDRESSED_TO_ME',
        'recipient',
        `addressed to ${e.recipient}, this node is ${this.config.party}`,
      );
    if (e.expiresAt.getTime() <= now.getTime())
      return refuse('EXPIRED', 'expiresAt', `expired at ${e.expiresAt.toISOString()}`);
    const ageMs = now.getTime() - e.createdAt.getTime();
    if (ageMs > this.config.limits.replayWindowSeconds * 1000)
      return refuse('REPLAYED', 'createdAt', 'created before the replay window');
    if (-ageMs > this.config.limits.clockSkewSeconds * 1000)
      return refuse('REPLAYED', 'createdAt', 'created in the future beyond the allowed clock skew');
    return { ok: true, value: true };
  }

  private judgeReceipt(envelope: EnvelopeFields, reject: (r: Refusal) => Verdict): Verdict {
    try {
      const receipt = decodePayload(MessageType.Receipt, envelope.payload) as Record<string, unknown>;
      return { kind: 'receipt', envelope, receipt };
    } catch (error) {
      const path =
        error instanceof PayloadInvalidError ? `payload.${error.errors[0]?.path ?? ''}` : 'payload';
      return reject({ reason: 'SCHEMA_INVALID', rule: path, detail: 'the receipt payload is not valid' });
    }
  }

  /** The payload as the agreement requires it to travel: decrypted (bound to `e`) when it must be encrypted. */
  private async openPayload(
    e: EnvelopeFields,
    agreement: Agreement,
    now: Date,
  ): Promise<Step<Record<string, unknown>>> {
    const required = payloadEncryptionFor(agreement, e.type);
    if (e.payloadEncryption !== required) {
      return refuse(
        'SCHEMA_INVALID',
        'payloadEncryption',
        required === 'JWE'
          ? `this type must be encrypted to the recipient under ${agreement.id}`
          : `this type is not encrypted under ${agreement.id}`,
      );
    }
    let bytes = e.payload;
    if (required === 'JWE') {
      try {
        bytes = await this.decrypter.decrypt(
          new TextDecoder().decode(e.payload),
          { sender: e.sender, messageId: e.messageId, type: e.type },
          now,
        );
      } catch (error) {
        if (error instanceof DecryptError && error.code === 'BINDING_MISMATCH')
          return refuse(
            'ENCRYPTION_BINDING_MISMATCH',
            'payload',
            'the encrypted payload is bound to another sender, message or type than this envelope',
          );
        return refuse(
          'DECRYPTION_FAILED',
          'payload',
          "the payload could not be decrypted with this node's key",
        );
      }
    }
    try {
      return { ok: true, value: decodePayload(e.type, bytes) };
    } catch (error) {
      if (error instanceof PayloadInvalidError) {
        const first = error.errors[0];
        return refuse(
          'SCHEMA_INVALID',
          first ? `payload.${first.path}` : 'payload',
          `${error.errors.length} invalid field(s); first: ${first?.message ?? 'payload'}`,
        );
      }
      return refuse('SCHEMA_INVALID', 'payload', 'the payload cannot be decoded as its type');
    }
  }

  /**
   * The receiver's own agreement decision, never trusting that the sender checked: on the signed
   * envelope alone, before anything is decrypted. The agreement it permits under comes back, for the
   * payload's encryption and personal-data checks.
   */
  private authorise(e: EnvelopeFields, now: Date): Step<Agreement> {
    const decision = decide(this.catalog, {
      sender: e.sender,
      recipient: e.recipient,
      type: e.type,
      agreementId: e.agreementId,
      purpose: e.purpose,
      at: now,
      inReplyTo: e.inReplyTo || null,
    });
    if (!decision.permitted) return refuse(decision.reason, decision.rule, decision.detail);
    return { ok: true, value: decision.agreement };
  }

  /** A reply must answer a message this node sent to that same party, in the same conversation. */
  private async checkConversation(e: EnvelopeFields): Promise<Step<true>> {
    if (!e.inReplyTo) return { ok: true, value: true };
    const original = await this.outbound.findById(e.inReplyTo);
    if (!original || original.recipient !== e.sender || original.conversationId !== e.conversationId) {
      return refuse(
        'UNKNOWN_CONVERSATION',
        'inReplyTo',
        'the message answered was not sent by this node to the sender',
      );
    }
    return { ok: true, value: true };
  }
}
