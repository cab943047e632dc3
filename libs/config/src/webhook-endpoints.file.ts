import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isNodeEventType, type NodeEventType } from '@app/contracts';
import { ConfigError } from './config.error';

/** One back-office endpoint the node posts its events to, signed with the endpoint's own secret. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  /** The HMAC-SHA-256 key (the secret file's bytes, surrounding whitespace removed). */
  readonly secret: Buffer;
  readonly events: readonly NodeEventType[];
}

const ENDPOINT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MIN_SECRET_BYTES = 32;

/**
 * Reads the webhook endpoints file (JSON, `{"endpoints": [{"id", "url", "secretFile", "events"}]}`;
 * relative secret files resolve against the file's folder). Every problem is named at once. A secret
 * file others may read, or shorter than 32 bytes, is refused: whoever has it can forge events.
 */
export function readWebhookEndpointsFile(file: string): WebhookEndpoint[] {
  const problems: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ConfigError([`PUENTE_WEBHOOKS_FILE: ${file} is missing or not JSON`]);
  }
  const list = (parsed as { endpoints?: unknown } | null)?.endpoints;
  if (!Array.isArray(list)) throw new ConfigError([`PUENTE_WEBHOOKS_FILE: ${file} has no "endpoints" list`]);
  const endpoints: WebhookEndpoint[] = [];
  const seen = new Set<string>();
  list.forEach((raw: unknown, i) => {
    const at = `PUENTE_WEBHOOKS_FILE endpoints[${i}]`;
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const id = typeof e.id === 'string' && ENDPOINT_ID.test(e.id) ? e.id : undefined;
    if (!id) problems.push(`${at}: id must be lower-case letters, digits, - or _ (at most 64)`);
    else if (seen.has(id)) problems.push(`${at}: id ${id} is used twice`);
    else seen.add(id);
    const url = webhookUrl(e.url);
    if (!url) problems.push(`${at}: url must be an http or https URL without credentials`);
    const events = Array.isArray(e.events) ? e.events : [];
    const bad = events.filter((t) => typeof t !== 'string' || !isNodeEventType(t));
    if (events.length === 0 || bad.length > 0)
      problems.push(`${at}: events must list event types (message.received, message.delivered, …)`);
    const secret = readSecret(e.secretFile, dirname(file), at, problems);
    if (id && url && secret && bad.length === 0 && events.length > 0)
      endpoints.push({ id, url, secret, events: [...new Set(events as NodeEventType[])] });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return endpoints;
}

function webhookUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password) return undefined;
    return url.toString();
  } catch {
    return undefined;
  }
}

function readSecret(value: unknown, base: string, at: string, problems: string[]): Buffer | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${at}: secretFile is required`);
    return undefined;
  }
  const path = resolve(base, value);
  if (!existsSync(path)) {
    problems.push(`${at}: secretFile ${path} does not exist`);
    return undefined;
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    problems.push(`${at}: secretFile ${path} is readable by other users; chmod 600 it`);
    return undefined;
  }
  const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
  if (secret.length < MIN_SECRET_BYTES) {
    problems.push(`${at}: secretFile ${path} must hold at least ${MIN_SECRET_BYTES} bytes`);
    return undefined;
  }
  return secret;
}
