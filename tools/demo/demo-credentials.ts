import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type DemoCredentials = Record<string, { officer: string; ops: string; admin: string; dpo: string }>;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Demo bearer tokens, one officer (who is also a passenger analyst), ops, admin and DPO client per party. The tokens are kept (mode 0600) in
 * credentials.json so a restarted demo keeps working; each node's API clients file holds only hashes.
 * The ops monitor's clients file (ops-monitor.api-clients.json) admits every party's ops client.
 */
export function provisionDemoCredentials(keysDir: string, parties: readonly string[]): DemoCredentials {
  const file = join(keysDir, 'credentials.json');
  const credentials: DemoCredentials = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials)
    : {};
  const opsClients: ApiClientEntry[] = [];
  for (const party of parties) {
    credentials[party] ??= { officer: token(), ops: token(), admin: token(), dpo: token() };
    const c = credentials[party];
    c.dpo ??= token(); // credentials.json written before the DPO client existed
    const clients = (['officer', 'ops', 'admin', 'dpo'] as const).map((role) => ({
      id: `${party}-demo-${role}`,
      agency: party,
      roles: role === 'officer' ? ['officer', 'passenger-analyst'] : [role],
      tokenSha256: sha256(c[role]),
    }));
    writeClients(join(keysDir, `${party}.api-clients.json`), clients);
    opsClients.push(...clients.filter((client) => client.roles.includes('ops')));
  }
  writeClients(join(keysDir, 'ops-monitor.api-clients.json'), opsClients);
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

interface ApiClientEntry {
  id: string;
  agency: string;
  roles: string[];
  tokenSha256: string;
}

function writeClients(file: string, clients: ApiClientEntry[]): void {
  writeFileSync(file, `${JSON.stringify({ clients }, null, 2)}\n`);
}

function token(): string {
  return randomBytes(24).toString('base64url');
}
