import { Inject, Injectable } from '@nestjs/common';
import { decryptWithOwnKey, type OwnKeys, type PayloadBinding } from '@app/signing';
import { OWN_KEYS } from '../shared/tokens';

/**
 * Decrypts payloads encrypted to this node, for the envelope they came in. A provider of its own so
 * the inbound judge's order can be observed: nothing is decrypted before the agreement decision.
 */
@Injectable()
export class OwnKeyDecrypter {
  constructor(@Inject(OWN_KEYS) private readonly ownKeys: OwnKeys) {}

  decrypt(jwe: string, binding: PayloadBinding): Promise<Uint8Array> {
    return decryptWithOwnKey(jwe, this.ownKeys, binding);
  }
}
