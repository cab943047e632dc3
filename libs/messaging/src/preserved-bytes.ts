import type { IHeaders } from 'kafkajs';

/**
 * Bytes kept exactly as they arrived, in a form PostgreSQL text and JSON can hold: as text when they
 * are valid UTF-8 without NUL or other C0 controls but tab, newline and CR; base64 otherwise. A record
 * set aside must never fail to be stored because of what its bytes are.
 */
export interface PreservedBytes {
  readonly encoding: 'utf8' | 'base64';
  readonly text: string;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const UNSAFE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The text of `bytes` when they are clean UTF-8 (round-trip exact, no unsafe controls); else undefined. */
export function cleanUtf8(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  return !UNSAFE_CONTROL.test(text) && Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

export function preserveBytes(bytes: Buffer): PreservedBytes {
  const text = cleanUtf8(bytes);
  return text === undefined
    ? { encoding: 'base64', text: bytes.toString('base64') }
    : { encoding: 'utf8', text };
}

export function restoreBytes(p: PreservedBytes): Buffer {
  return Buffer.from(p.text, p.encoding === 'base64' ? 'base64' : 'utf8');
}

export interface PreservedHeader {
  readonly name: PreservedBytes;
  readonly value: PreservedBytes | null;
}

/** Every header, repeated ones in order, name and value preserved byte for byte. */
export function preserveHeaders(headers: IHeaders | undefined): PreservedHeader[] {
  const out: PreservedHeader[] = [];
  for (const [name, v] of Object.entries(headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      out.push({
        name: preserveBytes(Buffer.from(name, 'utf8')),
        value:
          one === undefined || one === null
            ? null
            : preserveBytes(Buffer.isBuffer(one) ? one : Buffer.from(String(one), 'utf8')),
      });
    }
  }
  return out;
}
