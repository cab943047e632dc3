import { readFileSync } from 'node:fs';
import type { MonitorClient, OpsRole } from './monitor-config';

const ROLES: readonly OpsRole[] = ['officer', 'ops', 'admin'];

/**
 * Reads an API clients file in the node's format — `{ "clients": [{ "id", "agency", "roles",
 * "tokenSha256" }] }` — adding a problem (prefixed with the file and entry) for each defect. All
 * clients are kept so that a valid token without the ops role is told 403, not 401; at least one
 * must have the ops role, or nobody could use the monitor.
 */
export function readMonitorClients(file: string, problems: string[]): MonitorClient[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(
      `PUENTE_MONITOR_CLIENTS_FILE ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return [];
  }
  const list = (parsed as { clients?: unknown } | null)?.clients;
  if (!Array.isArray(list)) {
    problems.push(`${file}: "clients" must be a list`);
    return [];
  }
  const clients: MonitorClient[] = [];
  list.forEach((raw: unknown, i) => {
    const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = `${file}: clients[${i}]`;
    const before = problems.length;
    if (typeof c.id !== 'string' || !c.id) problems.push(`${at}.id is required`);
    if (typeof c.agency !== 'string' || !c.agency) problems.push(`${at}.agency is required`);
    if (typeof c.tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.tokenSha256))
      problems.push(`${at}.tokenSha256 must be 64 lower-case hex characters`);
    const roles = Array.isArray(c.roles) ? (c.roles as unknown[]) : [];
    if (roles.length === 0 || roles.some((r) => !ROLES.includes(r as OpsRole)))
      problems.push(`${at}.roles must be a non-empty list of ${ROLES.join(', ')}`);
    if (problems.length === before)
      clients.push({
        id: String(c.id),
        agency: String(c.agency),
        roles: roles as OpsRole[],
        tokenSha256: String(c.tokenSha256),
      });
  });
  if (list.length > 0 && clients.length === list.length && !clients.some((c) => c.roles.includes('ops')))
    problems.push(`${file}: no client has the ops role, so nobody could use the monitor`);
  return clients;
}
