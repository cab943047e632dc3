import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Injection token: the node's MaskingKeys, or null when no agreement masks personal data. */
export const MASKING_KEYS = Symbol('MASKING_KEYS');

/** A masked value: recognisable as one, and never mistaken for a name or a document number. */
export const MASKED_PREFIX = 'masked:';

/**
 * The node's two keys for masking, both derived (HKDF-SHA256) from its masking secret: one makes keyed
 * digests (HMAC-SHA256), the other seals the original payload (AES-256-GCM) for a four-eyes unmask.
 * A digest without the secret cannot be reversed by trying names and dates of birth, which a plain
 * hash could; with the same secret the same value always gives the same digest, which is what lets
 * the assessor recognise a returning traveler in masked history.
 */
export class MaskingKeys {
  private readonly digestKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(secret: Buffer) {
    this.digestKey = Buffer.from(hkdfSync('sha256', secret, '', 'puente masking digest v1', 32));
    this.sealKey = Buffer.from(hkdfSync('sha256', secret, '', 'puente masking seal v1', 32));
  }

  /**
   * The masked form of a field's value: the path is part of the input, so a surname and a document
   * number that happen to be equal do not give the same digest. Values are normalised first (accents,
   * case, spacing, and for document numbers separators), as the assessor compares them.
   */
  digest(path: string, value: string): string {
    const normal = normalise(value, path.endsWith('document.number'));
    const mac = createHmac('sha256', this.digestKey).update(`${path}\u0000${normal}`).digest('base64url');
    return `${MASKED_PREFIX}${mac.slice(0, 32)}`;
  }

  /** A value that is already a digest stays as it is (a masked payload is masked again as itself). */
  digestOrKeep(path: string, value: string): string {
    return value.startsWith(MASKED_PREFIX) ? value : this.digest(path, value);
  }

  /** A keyed digest of digests: the identity of a traveler, computable from a masked payload alone. */
  combine(kind: string, parts: readonly string[]): string {
    return `${kind}:${createHmac('sha256', this.digestKey).update(parts.join('\u0000')).digest('base64url').slice(0, 32)}`;
  }

  seal(payload: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  open(sealed: string): Record<string, unknown> {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed payload');
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
    return JSON.parse(text) as Record<string, unknown>;
  }
}

function normalise(value: string, documentNumber: boolean): string {
  const plain = value.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase().replace(/\s+/g, ' ').trim();
  return documentNumber ? plain.replace(/[\s\-./]/g, '') : plain;
}
