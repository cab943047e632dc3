/**
 * How two dates of birth agree. NEAR covers the keying errors seen in API data — one wrong digit, or
 * day and month transposed — which make a real match look like a different person. Anything else is a
 * MISMATCH: the strongest evidence available that a namesake is someone else.
 */
export type DobAgreement = 'MATCH' | 'NEAR' | 'MISMATCH' | 'UNKNOWN';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function compareDatesOfBirth(traveler: string | undefined, listed: string | undefined): DobAgreement {
  const a = traveler === undefined ? null : CALENDAR_DATE.exec(traveler);
  const b = listed === undefined ? null : CALENDAR_DATE.exec(listed);
  if (!a || !b) return 'UNKNOWN';
  if (a[0] === b[0]) return 'MATCH';
  const transposed = a[1] === b[1] && a[2] === b[3] && a[3] === b[2];
  return transposed || differingCharacters(a[0], b[0]) === 1 ? 'NEAR' : 'MISMATCH';
}

function differingCharacters(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) n++;
  return n;
}
