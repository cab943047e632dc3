import type { Agreement } from './agreement';
import { genericPath } from './personal-data.policy';

/**
 * Whether messages under this agreement hold personal data in the sense of its field list: their reads
 * are recorded and need a declared purpose. An agreement without a list (or with `none`) carries none.
 */
export function holdsPersonalData(agreement: Agreement | undefined): boolean {
  const pd = agreement?.personalData;
  return pd !== undefined && 'allowedFields' in pd;
}

/** Whether a client with these roles may read the personal-data fields (no `readableBy`: every reader). */
export function mayReadPersonalData(agreement: Agreement | undefined, roles: readonly string[]): boolean {
  const pd = agreement?.personalData;
  if (!pd || !('allowedFields' in pd) || !pd.readableBy) return true;
  const readableBy = pd.readableBy;
  return roles.some((r) => readableBy.includes(r));
}

/**
 * The payload with each `maskFields` leaf (a string) replaced by `digest(path, value)`, where path is
 * the generic path (`travelers[].surname`). A keyed digest of the same value is the same everywhere,
 * so masked history can still be matched; everything else of the payload is kept as it was.
 */
export function maskPayload(
  payload: Readonly<Record<string, unknown>>,
  maskFields: readonly string[],
  digest: (path: string, value: string) => string,
): Record<string, unknown> {
  const fields = new Set(maskFields);
  const walk = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]),
      );
    const generic = genericPath(path);
    return typeof value === 'string' && fields.has(generic) ? digest(generic, value) : value;
  };
  return walk(payload, '') as Record<string, unknown>;
}

/**
 * Whether reading under the declared `purpose` is a use the agreement itself permits: one of its
 * `purposes`. Any other purpose is a further use, which needs the provider's consent (and is never
 * possible where the agreement prohibits onward use).
 */
export function isAgreedPurpose(agreement: Agreement | undefined, purpose: string): boolean {
  return agreement !== undefined && agreement.purposes.includes(purpose);
}
