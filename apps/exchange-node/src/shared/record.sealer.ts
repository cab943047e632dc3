import { Inject, Injectable } from '@nestjs/common';
import { type AgreementsCatalog, payloadEncryptionFor } from '@app/agreements';
import {
  encodeEnvelope,
  encodePayload,
  encodeValidatedPayload,
  type EnvelopeFields,
  inboxTopic,
} from '@app/contracts';
import type { OutboxEntry } from '@app/persistence';
import { digestOf, encryptFor, EnvelopeSigner, type OwnKeys, type TrustStore } from '@app/signing';
import { routingHeaders } from '@app/messaging';
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
 * Turns an envelope and its proto3-JSON payload into the signed record that goes on the recipient's
 * inbox topic: payload encoded (validated, unless the caller just did), encrypted to the recipient and
 * bound to this envelope unless `payloadEncryptionFor` says it may travel signed only (receipts, in
 * practice), envelope encoded (validated), signed with this party's key.
 */
@Injectable()
export class RecordSealer {
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
      const jwe = await encryptFor(header.recipient, bytes, this.trustStore, {
        sender: header.sender,
        messageId: header.messageId,
        type: header.type,
      });
      bytes = new TextEncoder().encode(jwe);
    }
    const value = await this.signer.sign(encodeEnvelope({ ...header, payload: bytes, payloadEncryption }));
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
}
