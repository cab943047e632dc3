import { isJsonObject } from './json-file.reader';

/** Unpadded base64url, as RFC 7515/7516 require for every part of a compact serialization. */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export type ParsedCompact =
  | {
      readonly ok: true;
      readonly parts: readonly string[];
      readonly header: Readonly<Record<string, unknown>>;
    }
  | { readonly ok: false; readonly detail: string };

/**
 * Splits a compact JWS (3 parts) or JWE (5 parts) and decodes its protected header, without throwing
 * and without quoting any of the input: the input is untrusted and may hold personal data.
 */
export function parseCompact(value: unknown, partCount: 3 | 5, what: string): ParsedCompact {
  if (typeof value !== 'string') return { ok: false, detail: `the ${what} is not a string` };
  const parts = value.split('.');
  if (parts.length !== partCount) {
    return { ok: false, detail: `the ${what} has ${parts.length} dot-separated parts, not ${partCount}` };
  }
  const bad = parts.findIndex((part) => !BASE64URL.test(part));
  if (bad >= 0) return { ok: false, detail: `part ${bad + 1} of the ${what} is not base64url` };
  const [encodedHeader = ''] = parts;
  if (encodedHeader === '') return { ok: false, detail: `the ${what} has an empty protected header` };
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, detail: `the ${what}'s protected header is not JSON` };
  }
  if (!isJsonObject(header))
    return { ok: false, detail: `the ${what}'s protected header is not a JSON object` };
  return { ok: true, parts, header };
}
