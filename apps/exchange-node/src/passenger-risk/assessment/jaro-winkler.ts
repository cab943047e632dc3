/**
 * Jaro-Winkler similarity (0..1) of two strings. Chosen over edit distance for name tokens because it
 * rewards the shared beginning that typing errors usually leave intact, and because it is normalised
 * by length: one wrong letter costs a long surname less than a short one.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const jaro = jaroSimilarity(a, b);
  let prefix = 0;
  const maxPrefix = min(4, a.length, b.length);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

// Module-level references: under a vm context (jest) every global lookup in a hot loop is slow.
const { floor, max, min } = Math;

// Scratch flags shared by all calls (single-threaded, not re-entrant): no allocation per comparison.
let aMatched = new Uint8Array(64);
let bMatched = new Uint8Array(64);

function jaroSimilarity(a: string, b: string): number {
  const window = max(0, floor(max(a.length, b.length) / 2) - 1);
  if (a.length > aMatched.length) aMatched = new Uint8Array(a.length * 2);
  if (b.length > bMatched.length) bMatched = new Uint8Array(b.length * 2);
  aMatched.fill(0, 0, a.length);
  bMatched.fill(0, 0, b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = max(0, i - window);
    const to = min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] === 1 || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (aMatched[i] !== 1) continue;
    while (bMatched[j] !== 1) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) halfTranspositions++;
    j++;
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - halfTranspositions / 2) / m) / 3;
}
