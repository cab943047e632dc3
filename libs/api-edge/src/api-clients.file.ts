import { readFileSync } from 'node:fs';
import { type ApiClientEntry, isRole, ROLES } from './roles';

/**
 * Reads an API clients file — `{ "clients": [{ "id", "agency", "roles": [...], "tokenSha256" }] }` —
 * adding to `problems` one line (prefixed with the file and entry) per defect, and returning the
 * valid entries. Only SHA-256 hashes of the bearer tokens are stored; the tokens themselves are
 * handed to the agencies. The caller decides whether any problem stops it.
 */
export function readApiClientsFile(file: string, problems: string[]): ApiClientEntry[];
/**
 * The same, with what an app adds to an entry (the node's agreement scope, say): `readExtra` reads
 * it from the entry as given, adding its own problems.
 */
export function readApiClientsFile<E extends object>(
  file: string,
  problems: string[],
  readExtra: (entry: Record<string, unknown>, at: string, problems: string[]) => E,
): (ApiClientEntry & E)[];
export function readApiClientsFile<E extends object>(
  file: string,
  problems: string[],
  readExtra?: (entry: Record<string, unknown>, at: string, problems: string[]) => E,
): (ApiClientEntry & Partial<E>)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(
      `API clients file ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return [];
  }
  const list = (parsed as { clients?: unknown } | null)?.clients;
  if (!Array.isArray(list)) {
    problems.push(`${file}: "clients" must be a list`);
    return [];
  }
  const clients: (ApiClientEntry & Partial<E>)[] = [];
  list.forEach((raw: unknown, i) => {
    const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = `${file}: clients[${i}]`;
    const before = problems.length;
    if (typeof c.id !== 'string' || !c.id) problems.push(`${at}.id is required`);
    if (typeof c.agency !== 'string' || !c.agency) problems.push(`${at}.agency is required`);
    if (typeof c.tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.tokenSha256))
      problems.push(`${at}.tokenSha256 must be 64 lower-case hex characters`);
    const roles = Array.isArray(c.roles) ? (c.roles as unknown[]) : [];
    if (roles.length === 0 || !roles.every(isRole))
      problems.push(`${at}.roles must be a non-empty list of ${ROLES.join(', ')}`);
    const extra = readExtra?.(c, at, problems);
    if (problems.length === before)
      clients.push({
        ...(extra as Partial<E>),
        id: String(c.id),
        agency: String(c.agency),
        roles: roles.filter(isRole),
        tokenSha256: String(c.tokenSha256),
      });
  });
  return clients;
}
