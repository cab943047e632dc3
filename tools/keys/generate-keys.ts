/**
 * `npm run keys -- --out <dir> [--parties us-cbp,sv-dga,…] [--force]`
 * `npm run keys -- rotate --party <p> [--out <dir>] [--in <seconds> | --at <ISO instant>]`
 * `npm run keys -- revoke --party <p> --kid <kid> [--reason <text>] [--at <ISO instant>] [--out <dir>]`
 * (or `node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/keys/generate-keys.ts …`)
 *
 * Generates, per party, an Ed25519 signing key and an X25519 encryption key: the private keys go to
 * `<dir>/<party>.private.jwks.json` (mode 0600), the public keys into `<dir>/trust-store.json`, which
 * every node reads. Also the party's broker credentials, `<dir>/<party>.kafka.json` (mode 0600; the
 * broker's SCRAM user `<party>`), and the ops monitor's, `<dir>/ops-monitor.kafka.json`. Parties that
 * already have keys keep them unless --force (which retires the old keys, never drops them);
 * credentials are never replaced. Prints one line per party with its two kids; never prints key
 * material or passwords.
 *
 * `rotate` adds new keys that take over at the switch (default: in an hour) and keeps the old ones;
 * `revoke` marks a key revoked (see key-rotation.ts and docs/operations.md, "Rotating and revoking keys").
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PARTY_ID_PATTERN, type PartyId } from '@app/contracts';
import { trustStoreFile } from '@app/signing';
import { KeyCommandUsageError, parseKeyCommand, runKeyCommand } from './key-command';
import {
  DEFAULT_PARTIES,
  ensureKeys,
  ensureMonitorCredentials,
  type ProvisionedParty,
} from './party-keys.provisioner';

// The demo network imports ensureKeys from here.
export {
  DEFAULT_PARTIES,
  ensureKeys,
  ensureMonitorCredentials,
  type ProvisionedParty,
} from './party-keys.provisioner';

const DEFAULT_OUT = '.puente/keys';
const USAGE = [
  `usage: generate-keys --out <dir> [--parties ${DEFAULT_PARTIES.join(',')}] [--force]`,
  '       generate-keys rotate --party <party> [--out <dir>] [--in <seconds> | --at <ISO instant>]',
  '       generate-keys revoke --party <party> --kid <kid> [--reason <text>] [--at <ISO instant>] [--out <dir>]',
].join('\n');

export interface GenerateKeysArgs {
  readonly out: string;
  readonly parties: readonly PartyId[];
  readonly force: boolean;
}

class UsageError extends Error {
  readonly code = 'USAGE';
}

export function parseGenerateKeysArgs(argv: readonly string[]): GenerateKeysArgs | 'help' {
  let values: { out?: string; parties?: string; force?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        parties: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const parties = values.parties === undefined ? [...DEFAULT_PARTIES] : splitParties(values.parties);
  return { out: values.out ?? DEFAULT_OUT, parties, force: values.force ?? false };
}

function splitParties(list: string): PartyId[] {
  const parties = [
    ...new Set(
      list
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  if (parties.length === 0) throw new UsageError('--parties lists no party');
  const bad = parties.filter((p) => !PARTY_ID_PATTERN.test(p));
  if (bad.length > 0) throw new UsageError(`not party ids: ${bad.join(', ')} (expected e.g. us-cbp)`);
  return parties;
}

export function formatLine(result: ProvisionedParty): string {
  const retired = result.retiredKids?.length ? `  retired ${result.retiredKids.join(' ')}` : '';
  return `${result.outcome.padEnd(9)} ${result.party.padEnd(8)} sig ${result.signingKid}  enc ${result.encryptionKid}  broker login ${result.brokerCredentials}${retired}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseKeyCommand(argv, DEFAULT_OUT);
  if (command) {
    for (const line of await runKeyCommand(command)) process.stdout.write(`${line}\n`);
    return 0;
  }
  const args = parseGenerateKeysArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const results = await ensureKeys(args.out, args.parties, args.force);
  for (const result of results) process.stdout.write(`${formatLine(result)}\n`);
  process.stdout.write(`ops-monitor broker login ${ensureMonitorCredentials(args.out)}\n`);
  const made = results.filter((r) => r.outcome === 'generated').length;
  process.stdout.write(
    `${made} of ${results.length} parties got new keys; trust store: ${trustStoreFile(args.out)}\n`,
  );
  return 0;
}

/**
 * Run as a script, directly or through tools/run-ts.js (which requires this file, so require.main is
 * run-ts.js but argv[1] is this file) — but not when the demo imports ensureKeys.
 */
function isEntryPoint(): boolean {
  return require.main === module || resolve(process.argv[1] ?? '') === __filename;
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      if (error instanceof UsageError || error instanceof KeyCommandUsageError)
        process.stderr.write(`${USAGE}\n`);
      process.exitCode = error instanceof UsageError || error instanceof KeyCommandUsageError ? 2 : 1;
    },
  );
}
