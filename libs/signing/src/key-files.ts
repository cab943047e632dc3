import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importJWK, type JWK, type KeyLike } from 'jose';
import type { PartyId } from '@app/contracts';
import { KEY_MANAGEMENT_ALG, type OwnKeys, type PartyKeyMaterial, SIGNING_ALG } from './party-keys';

export const privateKeysFile = (keysDir: string, party: PartyId): string =>
  join(keysDir, `${party}.private.jwks.json`);
export const trustStoreFile = (keysDir: string): string => join(keysDir, 'trust-store.json');

/** The trust store file: every party's public keys, which the other nodes read. */
export interface TrustStoreFile {
  readonly version: 1;
  readonly parties: Record<PartyId, { readonly keys: readonly JWK[] }>;
}

function writeAtomically(file: string, content: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}

/** Writes the private keys (mode 0600) and puts the public keys into the trust store of the same directory. */
export function writePartyKeys(keysDir: string, material: PartyKeyMaterial): void {
  writeAtomically(
    privateKeysFile(keysDir, material.party),
    `${JSON.stringify({ keys: material.privateJwks }, null, 2)}\n`,
    0o600,
  );
  addToTrustStore(trustStoreFile(keysDir), material.party, material.publicJwks);
}

/** Replaces one party's entry in the trust store and keeps the others. */
export function addToTrustStore(file: string, party: PartyId, publicJwks: readonly JWK[]): void {
  const store: TrustStoreFile = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as TrustStoreFile)
    : { version: 1, parties: {} };
  const publicOnly = publicJwks.map(({ d: _d, ...pub }) => pub);
  writeAtomically(
    file,
    `${JSON.stringify({ version: 1, parties: { ...store.parties, [party]: { keys: publicOnly } } }, null, 2)}\n`,
    0o644,
  );
}

/** Loads and imports this party's private keys once. */
export async function loadOwnKeys(keysDir: string, party: PartyId): Promise<OwnKeys> {
  const file = privateKeysFile(keysDir, party);
  if (!existsSync(file))
    throw new Error(`no private keys for ${party} at ${file} (generate them with npm run keys)`);
  const keys = (JSON.parse(readFileSync(file, 'utf8')) as { keys?: JWK[] }).keys ?? [];
  const pick = async (use: 'sig' | 'enc', alg: string): Promise<{ kid: string; key: KeyLike }> => {
    const jwk = keys.find((k) => k.use === use);
    if (!jwk?.kid || !jwk.d) throw new Error(`${file}: no private ${use} key with a kid`);
    if (!jwk.kid.startsWith(`${party}:`))
      throw new Error(`${file}: key ${jwk.kid} does not belong to ${party}`);
    return { kid: jwk.kid, key: (await importJWK(jwk, alg)) as KeyLike };
  };
  return {
    party,
    signing: await pick('sig', SIGNING_ALG),
    encryption: await pick('enc', KEY_MANAGEMENT_ALG),
  };
}
