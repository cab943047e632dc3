/**
 * `npm run evidence:verify -- FILE [--trust TRUST_STORE_JSON]` — checks an evidence bundle offline:
 * no network, no database, no node configuration, only the file (and, with --trust, the keys the
 * reader already trusts, e.g. the published trust-store file). Prints the report; the first thing
 * that fails is named with its member.
 *
 * Exit code 0 when everything checks, 1 when something fails, 2 on usage errors.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyEvidenceBundle } from '@app/evidence';
import { TrustStore } from '@app/signing';

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { trust: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [file] = positionals;
  if (!file || positionals.length !== 1) {
    process.stderr.write('usage: npm run evidence:verify -- FILE [--trust trust-store.json]\n');
    return 2;
  }
  const pinned = values.trust ? await TrustStore.load(values.trust) : undefined;
  const report = await verifyEvidenceBundle(readFileSync(file), { pinned });
  process.stdout.write(`${report.lines.join('\n')}\n`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `evidence verify failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
