import { createHash } from 'node:crypto';
import { ExchangeError } from '../shared/exchange.error';
import type { SubmitMessageDto } from './submit-message.dto';

/** 1 to 128 letters, digits, `.`, `_`, `:` or `-`: a UUID, a ULID or a system's own reference all fit. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
export const IDEMPOTENCY_KEY_MAX = 128;

/**
 * The key as sent, or a 400 naming where it came from (`Idempotency-Key` header, or a batch item's
 * `idempotencyKey`). Absent is fine; anything present must match IDEMPOTENCY_KEY — a header sent
 * twice arrives joined with ", " and is refused too.
 */
export function readIdempotencyKey(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && IDEMPOTENCY_KEY.test(value)) return value;
  throw ExchangeError.invalid([
    {
      path,
      rule: 'idempotencyKey',
      message: `${path} must be 1 to ${IDEMPOTENCY_KEY_MAX} letters, digits, '.', '_', ':' or '-'`,
    },
  ]);
}

/**
 * SHA-256 of the submission in a canonical form (keys sorted at every level, the type resolved to its
 * full name): the same request sent again hashes the same, whatever its key order or type spelling.
 */
export function submissionDigest(dto: SubmitMessageDto, type: string): string {
  const canonical = canonicalJson({
    type,
    to: dto.to,
    agreement: dto.agreement ?? null,
    purpose: dto.purpose,
    inReplyTo: dto.inReplyTo ?? null,
    payload: dto.payload,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
