import { KeyObject } from 'node:crypto';
import { importJWK } from 'jose';
import type { PartyId } from '@app/contracts';
import {
  EnvelopeSigner,
  generatePartyKeys,
  type OwnKey,
  OwnKeys,
  type PartyJwk,
  type PartyKeyMaterial,
  TrustStore,
} from '@app/signing';

/** The two administrations of the crypto ceiling: the message goes sender → recipient, the receipt back. */
export const BENCH_SENDER: PartyId = 'sv-dga';
export const BENCH_RECIPIENT: PartyId = 'us-cbp';

export interface BenchParty {
  readonly own: OwnKeys;
  readonly signer: EnvelopeSigner;
}

export interface BenchParties {
  readonly sender: BenchParty;
  readonly recipient: BenchParty;
  /** Both parties' public keys, as every node's trust store lists them. */
  readonly trust: TrustStore;
}

/**
 * Fresh keys for both parties, held in memory only: the trust store is built from the same document
 * shape a node reads from disk (TrustStore.fromDocument checks each entry the same way), and the
 * private keys are imported once, as loadOwnKeys does.
 */
export async function benchParties(): Promise<BenchParties> {
  const materials = [await generatePartyKeys(BENCH_SENDER), await generatePartyKeys(BENCH_RECIPIENT)];
  const parties = Object.fromEntries(materials.map((m) => [m.party, { keys: m.publicJwks }]));
  const trust = await TrustStore.fromDocument({ version: 1, parties }, 'bench (in memory)');
  const [sender, recipient] = await Promise.all(materials.map(benchParty));
  if (!sender || !recipient) throw new Error('bench parties: key generation returned too few parties');
  return { sender, recipient, trust };
}

async function benchParty(material: PartyKeyMaterial): Promise<BenchParty> {
  const jwk = (use: PartyJwk['use']) => {
    const found = material.privateJwks.find((k) => k.use === use);
    if (!found) throw new Error(`bench parties: ${material.party} has no ${use} key`);
    return found;
  };
  const own = new OwnKeys(material.party, [await importOwn(jwk('sig'))], [await importOwn(jwk('enc'))]);
  return { own, signer: new EnvelopeSigner(own) };
}

async function importOwn(jwk: PartyJwk): Promise<OwnKey> {
  const key = await importJWK({ ...jwk }, jwk.alg);
  if (!(key instanceof KeyObject) || key.type !== 'private')
    throw new Error(`bench parties: ${jwk.kid} did not import as a private key`);
  return { kid: jwk.kid, key, validity: {} };
}
