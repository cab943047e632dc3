import { existsSync } from 'node:fs';
import { OPS_MONITOR_PRINCIPAL, type PartyId } from '@app/contracts';
import { ensureBrokerCredentials } from '@app/messaging';
import {
  ensureMaskingSecret,
  generatePartyKeys,
  mergeIntoTrustStore,
  privateKeysFile,
  readPartyKeyMaterial,
  readTrustStoreDocument,
  TrustStore,
  trustStoreFile,
  writePartyKeys,
} from '@app/signing';
import { rotatePartyKeys } from './key-rotation';

/** The five administrations of the demo network (config/parties.yaml). */
export const DEFAULT_PARTIES: readonly PartyId[] = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam'];

export interface ProvisionedParty {
  readonly party: PartyId;
  /**
   * `generated`: new keys; `kept`: keys already there, left alone; `restored`: keys already there,
   * their missing trust-store entry re-derived from the private file.
   */
  readonly outcome: 'generated' | 'kept' | 'restored';
  readonly signingKid: string;
  readonly encryptionKid: string;
  /** The party's broker credentials (`<dir>/<party>.kafka.json`, mode 0600): new, or kept as they were. */
  readonly brokerCredentials: 'generated' | 'kept';
  /** With force: the party's previous kids, kept in the trust store and retired now (never dropped). */
  readonly retiredKids?: readonly string[];
}

/**
 * Makes sure every listed party has keys in `dir` and an entry in the trust store: generates keys
 * for parties without a private key file, keeps the others. With `force`, parties that have keys get
 * new ones valid now and their old keys are retired, not dropped: they stay in the trust store with a
 * notAfter (what they signed stays verifiable) and in the private file (the old encryption key still
 * decrypts payloads in flight for the node's overlap). Ends by
 * loading the trust store the way a node does, so a file a node could not start with is never left
 * behind silently. Parties are handled one after another: they share the trust store file.
 */
export async function ensureKeys(
  dir: string,
  parties: readonly PartyId[],
  force = false,
): Promise<ProvisionedParty[]> {
  const results: ProvisionedParty[] = [];
  for (const party of parties) {
    // Broker passwords are not rotated with --force: the broker's users would have to change with them.
    const credentials = ensureBrokerCredentials(dir, party);
    // Kept across --force like the broker passwords: a new secret would orphan every masked digest.
    ensureMaskingSecret(dir, party);
    if (!existsSync(privateKeysFile(dir, party))) {
      const material = await generatePartyKeys(party);
      writePartyKeys(dir, material);
      results.push(summary(party, 'generated', material.publicJwks, credentials));
      continue;
    }
    if (force) {
      const rotated = await rotatePartyKeys(dir, party, new Date());
      results.push({
        party,
        outcome: 'generated',
        signingKid: rotated.signingKid,
        encryptionKid: rotated.encryptionKid,
        brokerCredentials: credentials,
        retiredKids: rotated.retiredKids,
      });
      continue;
    }
    const material = readPartyKeyMaterial(dir, party);
    // Entries present are left as they are: an operator may have added a rotated-out key on purpose.
    const listed = readTrustStoreDocument(trustStoreFile(dir))?.parties[party] !== undefined;
    if (!listed)
      mergeIntoTrustStore(
        trustStoreFile(dir),
        party,
        material.publicJwks.map((jwk, i) => ({ jwk, validity: material.validities[i] ?? {} })),
      );
    results.push(summary(party, listed ? 'kept' : 'restored', material.publicJwks, credentials));
  }
  await TrustStore.load(trustStoreFile(dir));
  return results;
}

/** The ops monitor's broker credentials (`<dir>/ops-monitor.kafka.json`): it reads the flow topic only. */
export function ensureMonitorCredentials(dir: string): 'generated' | 'kept' {
  return ensureBrokerCredentials(dir, OPS_MONITOR_PRINCIPAL);
}

function summary(
  party: PartyId,
  outcome: ProvisionedParty['outcome'],
  publicJwks: readonly { readonly kid: string; readonly use: string }[],
  brokerCredentials: 'generated' | 'kept',
): ProvisionedParty {
  const kidOf = (use: string) => publicJwks.find((jwk) => jwk.use === use)?.kid ?? '?';
  return { party, outcome, signingKid: kidOf('sig'), encryptionKid: kidOf('enc'), brokerCredentials };
}
