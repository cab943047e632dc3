/**
 * `npm run keys -- --out <dir> [--parties us-cbp,sv-dga,…] [--force]`
 * Generates, per party, an Ed25519 signing key and an X25519 encryption key: the private keys go to
 * `<dir>/<party>.private.jwks.json` (mode 0600), the public keys into `<dir>/trust-store.json`, which
 * every node reads. Parties that already have keys keep them unless --force. Never prints key material.
 */
import { existsSync } from 'node:fs';
import { generatePartyKeys, privateKeysFile, writePartyKeys } from '@app/signing';

export const DEFAULT_PARTIES = ['us-cbp', 'us-ice', 'sv-dga', 'sv-dgme', 'mx-anam'];

/** Creates keys for the parties that have none yet; returns the parties it generated keys for. */
export async function ensureKeys(dir: string, parties: readonly string[], force = false): Promise<string[]> {
  const made: string[] = [];
  for (const party of parties) {
    if (!force && existsSync(privateKeysFile(dir, party))) continue;
    const material = await generatePartyKeys(party);
    writePartyKeys(dir, material);
    made.push(`${party}: ${material.publicJwks.map((k) => k.kid).join(', ')}`);
  }
  return made;
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = arg('--out') ?? '.puente/keys';
  const parties = (arg('--parties') ?? DEFAULT_PARTIES.join(',')).split(',').filter(Boolean);
  const made = await ensureKeys(out, parties, argv.includes('--force'));
  for (const line of made) process.stdout.write(`generated ${line}\n`);
  process.stdout.write(
    `${made.length} of ${parties.length} parties got new keys; trust store: ${out}/trust-store.json\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
