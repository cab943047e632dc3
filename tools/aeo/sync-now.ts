/**
 * `npm run aeo:sync -- --node http://127.0.0.1:7101 --token-file FILE` — asks a running node to send
 * its AEO programme to every partner now (POST /v1/aeo/sync, an `admin` token), instead of waiting
 * for PUENTE_AEO_SYNC_INTERVAL_SECONDS, and prints what went to whom. The token may also come from
 * PUENTE_ADMIN_TOKEN. Exit code 0 when every partner was synced, 1 when the node refused or a
 * partner's sync was refused, 2 on usage errors.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface PartnerSync {
  partner: string;
  programme: string;
  kind: string;
  operatorsSent: number;
  withdrawn: number;
  withoutConsent: number;
  refused?: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { node: { type: 'string' }, 'token-file': { type: 'string' } } });
  const node = values.node ?? process.env.PUENTE_NODE_URL;
  const tokenFile = values['token-file'];
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : process.env.PUENTE_ADMIN_TOKEN;
  if (!node || !token) {
    process.stderr.write(
      'usage: npm run aeo:sync -- --node URL (--token-file FILE | PUENTE_ADMIN_TOKEN=…)\n',
    );
    return 2;
  }
  const res = await fetch(new URL('/v1/aeo/sync', node), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(600_000),
  });
  const body = (await res.json().catch(() => ({}))) as {
    partners?: PartnerSync[];
    code?: string;
    message?: string;
  };
  if (!res.ok) {
    process.stdout.write(`the node refused: ${res.status} ${body.code ?? ''} ${body.message ?? ''}\n`);
    return 1;
  }
  const partners = body.partners ?? [];
  if (partners.length === 0)
    process.stdout.write('no partner: no agreement in force carries AEO status from this node\n');
  for (const p of partners)
    process.stdout.write(
      `${p.programme} → ${p.partner}: ${p.kind}, ${p.operatorsSent} operators, ${p.withdrawn} withdrawn, ${p.withoutConsent} without consent not sent${p.refused ? `; REFUSED ${p.refused}` : ''}\n`,
    );
  return partners.some((p) => p.refused) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`aeo:sync failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
