import type { PartyId } from '@app/contracts';
import { ensureMaskingSecret, generatePartyKeys, writePartyKeys } from '@app/signing';

/** Fresh keys, masking secrets and a trust store for a test network: every listed party, in `dir`. */
export async function provisionKeys(dir: string, parties: readonly PartyId[]): Promise<void> {
  for (const party of parties) {
    writePartyKeys(dir, await generatePartyKeys(party));
    ensureMaskingSecret(dir, party);
  }
}
