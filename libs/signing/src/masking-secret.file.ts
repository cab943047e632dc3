import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file.writer';

/** At least 256 bits: the digests of masked personal data are only as hard to reverse as this key is to guess. */
export const MASKING_SECRET_MIN_BYTES = 32;

/** `<keysDir>/<party>.masking.secret`: the node's own secret for masking personal data (never shared). */
export const maskingSecretFile = (keysDir: string, party: string): string =>
  join(keysDir, `${party}.masking.secret`);

/** Writes a fresh random secret (hex, mode 0600) unless the file exists: a new one would orphan every digest made. */
export function ensureMaskingSecret(keysDir: string, party: string): 'generated' | 'kept' {
  const file = maskingSecretFile(keysDir, party);
  if (existsSync(file)) return 'kept';
  writeFileAtomically(file, `${randomBytes(MASKING_SECRET_MIN_BYTES).toString('hex')}\n`, 0o600);
  return 'generated';
}

/**
 * Reads and checks the secret: hex, at least MASKING_SECRET_MIN_BYTES, readable by its owner only.
 * Throws a message naming the file and the problem, never the secret.
 */
export function readMaskingSecret(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`masking secret ${file} cannot be read (npm run keys writes one)`);
  }
  if (!/^[0-9a-f]+$/i.test(text) || text.length % 2 !== 0 || text.length < MASKING_SECRET_MIN_BYTES * 2)
    throw new Error(
      `masking secret ${file} must be at least ${MASKING_SECRET_MIN_BYTES} bytes written as hex`,
    );
  if ((statSync(file).mode & 0o077) !== 0)
    throw new Error(`masking secret ${file} must be readable by its owner only (chmod 600)`);
  return Buffer.from(text, 'hex');
}
