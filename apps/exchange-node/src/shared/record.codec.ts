import { Inject, Injectable } from '@nestjs/common';
import { type AgreementsCatalog, payloadEncryptionFor } from '@app/agreements';
import {
  decodeEnvelope,
  encodeEnvelope,
  encodePayload,
  encodeValidatedPayload,
  type EnvelopeFields,
  inboxTopic,
  type PartyId,
  PayloadInvalidError,
  type ReasonCode,
} from '@app/contracts';
import type { OutboxEntry } from '@app/persistence';
import {
  digestOf,
  encryptFor,
  EnvelopeSigner,
  type OwnKeys,
  type TrustStore,
  verifyEnvelopeJws,
} from '@app/signing';
import { type InboxRecord, routingHeaders } from '@app/messaging';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { CATALOG, OWN_KEYS, TRUST_STORE } from './tokens';

export type EnvelopeHeader = Omit<EnvelopeFields, 'payload' | 'payloadEncryption'>;

export interface SealedRecord {
  /** The compact JWS: the Kafka record value. */
  readonly value: string;
  readonly digest: string;
  readonly outbox: OutboxEntry;
}

/**
 * What opening a record found: its authentic signer and decoded envelope, or why it cannot be opened.
 * `attributable` refusals come from an authentic signer (it gets a signed rejection receipt); the
 * others cannot be tied to one (the record goes to the dead-letter topic, no receipt). `claimedSender`
 * is named only when the trust store knows that party, so no made-up name reaches metrics or events.
 */
export type OpenedRecord =
  | { readonly ok: true; readonly signer: PartyId; readonly envelope: EnvelopeFields }
  | {
      readonly ok: false;
      readonly attributable: false;
      readonly reason: ReasonCode;
      readonly rule: string;
      readonly detail: string;
      readonly claimedSender?: string;
      readonly messageId?: string;
    }
  | {
      readonly ok: false;
      readonly attributable: true;
      readonly sender: PartyId;
      readonly reason: ReasonCode;
      readonly rule: string;
      readonly detail: string;
    };

/**
 * The wire format in both directions, in one place.
 *
 * Sealing turns an envelope and its proto3-JSON payload into the signed record that goes on the
 * recipient's inbox topic: payload encoded (validated, unless the caller just did), encrypted to the
 * recipient and bound to this envelope unless `payloadEncryptionFor` says it may travel signed only
 * (receipts, in practice), envelope encoded (validated), signed with this party's key.
 *
 * Opening is the reverse up to the envelope, cheapest and least trusting first: size → signature by a
 * key in the trust store → envelope decoded and validated → signer is the claimed sender → the key
 * was valid (not revoked, within its window) at the envelope's signed creation time. The payload
 * stays sealed: the receiver decides on the envelope before it decrypts anything.
 */
@Injectable()
export class RecordCodec {
  private readonly signer: EnvelopeSigner;

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(OWN_KEYS) ownKeys: OwnKeys,
    @Inject(TRUST_STORE) private readonly trustStore: TrustStore,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
  ) {
    this.signer = new EnvelopeSigner(ownKeys);
  }

  async seal(
    header: EnvelopeHeader,
    payload: Record<string, unknown>,
    kind: OutboxEntry['kind'],
    options: { payloadValidated?: boolean } = {},
  ): Promise<SealedRecord> {
    let bytes = options.payloadValidated
      ? encodeValidatedPayload(header.type, payload as never)
      : encodePayload(header.type, payload as never);
    const agreement = this.catalog.agreements.find((a) => a.id === header.agreementId);
    const payloadEncryption = payloadEncryptionFor(agreement, header.type);
    if (payloadEncryption === 'JWE') {
      const jwe = await encryptFor(
        header.recipient,
        bytes,
        this.trustStore,
        { sender: header.sender, messageId: header.messageId, type: header.type },
        header.createdAt,
      );
      bytes = new TextEncoder().encode(jwe);
    }
    // Signed with the key valid at the envelope's creation time: the receiver checks the kid against it.
    const value = this.signer.sign(
      encodeEnvelope({ ...header, payload: bytes, payloadEncryption }),
      header.createdAt,
    );
    return {
      value,
      digest: digestOf(value),
      outbox: {
        kind,
        messageId: header.messageId,
        topic: inboxTopic(header.recipient, this.config.kafka.topicNamespace),
        key: header.conversationId,
        value,
        headers: routingHeaders({
          type: header.type,
          sender: header.sender,
          recipient: header.recipient,
          messageId: header.messageId,
        }),
      },
    };
  }

  open(record: InboxRecord): OpenedRecord {
    const limit = this.config.limits.maxRecordBytes;
    if (!record.value || record.sizeBytes === 0)
      return unattributable('MALFORMED_RECORD', 'value', 'the record has no value');
    if (record.sizeBytes > limit)
      return unattributable(
        'TOO_LARGE',
        'value',
        `the record is ${record.sizeBytes} bytes, over the ${limit}-byte limit`,
      );
    const verified = verifyEnvelopeJws(record.value.toString('utf8'), this.trustStore, {
      maxBytes: limit,
    });
    if (!verified.ok)
      return unattributable(verified.reason, 'signature', verified.detail, {
        claimedSender: this.knownParty(verified.claimedSigner ?? record.headers.sender),
      });
    const signer = verified.signer;
    let envelope: EnvelopeFields;
    try {
      envelope = decodeEnvelope(verified.payload);
    } catch (error) {
      const rule =
        error instanceof PayloadInvalidError ? `envelope.${error.errors[0]?.path ?? ''}` : 'envelope';
      return {
        ok: false,
        attributable: true,
        sender: signer,
        reason: 'SCHEMA_INVALID',
        rule,
        detail: 'the signed envelope is not a valid Envelope',
      };
    }
    // The signature proves who signed; the envelope must claim the same sender, or it is a spoof.
    if (envelope.sender !== signer)
      return unattributable(
        'KEY_NOT_OWNED_BY_SENDER',
        'kid',
        `signed with a key of ${signer} but claims to be from ${envelope.sender}`,
        { claimedSender: this.knownParty(envelope.sender), messageId: envelope.messageId },
      );
    // The key must have been valid when the record says it was made. A revoked key may be in a thief's
    // hands: nothing it signed from the revocation on is attributable to its party, so no receipt.
    const keyProblem = this.trustStore.signingKeyProblemAt(verified.kid, envelope.createdAt);
    if (keyProblem)
      return unattributable(
        keyProblem,
        'kid',
        keyProblem === 'KEY_REVOKED'
          ? `${verified.kid} was revoked before this record's creation time`
          : `${verified.kid} was not valid at this record's creation time`,
        { claimedSender: signer, messageId: envelope.messageId },
      );
    return { ok: true, signer, envelope };
  }

  /** A sender name taken from a header or a key id, only if the trust store knows that party. */
  knownParty(claimed: string | undefined): string | undefined {
    return claimed !== undefined && this.trustStore.parties().includes(claimed) ? claimed : undefined;
  }
}

function unattributable(
  reason: ReasonCode,
  rule: string,
  detail: string,
  about: { claimedSender?: string; messageId?: string } = {},
): OpenedRecord {
  return { ok: false, attributable: false, reason, rule, detail, ...about };
}
