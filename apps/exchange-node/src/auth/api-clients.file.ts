import { readFileSync } from 'node:fs';
import type { ApiClientRecord } from '@app/persistence';
import { type ClientScope, readClientScope } from '../personal-data/client-scope';
import { ROLES } from './api-client';

/** A client as the file gives it: the stored record and, optionally, the agreements and families it may act under. */
export interface ApiClientFileEntry extends ApiClientRecord {
  readonly scope?: ClientScope;
}

/**
 * Reads the API clients file: `{ "clients": [{ "id", "agency", "roles": [...], "tokenSha256", "scope"? }] }`.
 * Only SHA-256 hashes of the bearer tokens are stored; the tokens themselves are handed to the agencies.
 */
export function readApiClientsFile(file: string): ApiClientFileEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `API clients file ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const clients = (parsed as { clients?: unknown }).clients;
  if (!Array.isArray(clients)) throw new Error(`API clients file ${file}: "clients" must be a list`);
  const problems: string[] = [];
  const out: ApiClientFileEntry[] = [];
  clients.forEach((c: Record<string, unknown>, i) => {
    const at = `${file}: clients[${i}]`;
    if (typeof c.id !== 'string' || !c.id) problems.push(`${at}.id is required`);
    if (typeof c.agency !== 'string' || !c.agency) problems.push(`${at}.agency is required`);
    if (typeof c.tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.tokenSha256))
      problems.push(`${at}.tokenSha256 must be 64 hex characters`);
    const roles = Array.isArray(c.roles) ? c.roles : [];
    if (roles.length === 0 || roles.some((r) => !(ROLES as readonly unknown[]).includes(r))) {
      problems.push(`${at}.roles must be a non-empty list of ${ROLES.join(', ')}`);
    }
    out.push({
      id: String(c.id),
      agency: String(c.agency),
      roles: roles.map(String),
      tokenSha256: String(c.tokenSha256),
      scope: readClientScope(c.scope, at, problems),
    });
  });
  if (problems.length > 0) throw new Error(`Invalid API clients file:\n  - ${problems.join('\n  - ')}`);
  return out;
}
