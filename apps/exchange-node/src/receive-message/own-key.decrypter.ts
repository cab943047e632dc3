import { Inject, Injectable } from '@nestjs/common';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import { decryptWithOwnKey, type OwnKeys, type PayloadBinding } from '@app/signing';
import { OWN_KEYS } from '../shared/tokens';

/**
 * Decrypts payloads encrypted to this node, for the envelope they came in. A provider of its own so
 * the inbound judge's order can be observed: nothing is decrypted before the agreement decision.
 * After a rotation, the previous encryption key still decrypts for PUENTE_KEY_OVERLAP_SECONDS.
 */
@Injectable()
export class OwnKeyDecrypter {
  private readonly overlapMs: number;

  constructor(
    @Inject(OWN_KEYS) private readonly ownKeys: OwnKeys,
    @Inject(NODE_CONFIG) config: Pick<NodeConfig, 'keys'>,
  ) {
    this.overlapMs = config.keys.decryptOverlapSeconds * 1000;
  }

  decrypt(jwe: string, binding: PayloadBinding, now: Date = new Date()): Promise<Uint8Array> {
    return decryptWithOwnKey(jwe, this.ownKeys, binding, { now, overlapMs: this.overlapMs });
  }
}
