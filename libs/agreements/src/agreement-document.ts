import { createHash } from 'node:crypto';
import type { Agreement } from './agreement';

/**
 * An agreement as one canonical JSON text: members sorted at every depth, dates as ISO 8601 instants,
 * no whitespace. Two nodes loading the same agreement produce the same text, and its SHA-256 names
 * that exact version (an evidence bundle carries the text and checks it against the hash).
 */
export function agreementDocument(agreement: Agreement): string {
  return canonicalJson(agreement);
}

/** `sha256:<hex>` of the agreement's canonical text. */
export function agreementSha256(document: string): string {
  return `sha256:${createHash('sha256').update(document, 'utf8').digest('hex')}`;
}

/** JSON with object members in code-point order at every depth (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortMembers(value));
}

function sortMembers(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortMembers);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortMembers(v)]));
  }
  return value;
}
