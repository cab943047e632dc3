import { canonicalToken } from './romanisation.table';

/**
 * Name normalisation for matching, identical for travelers and watchlist entries.
 *
 * Particles (DE, DEL, LA, VAN, AL, BIN, …) are kept in `full`, `words` and `tokens`, because they are
 * part of the name as written, but left out of `coreTokens`: "MARIA DE LA CRUZ" and "MARIA CRUZ" are
 * routinely the same person on different documents, and a particle matching a particle says nothing.
 * BEN and ABU are not particles here: both are also given names or meaningful name elements.
 */
export interface NormalizedName {
  /** Upper-case letters, digits and single spaces, original order and spelling: "NUNEZ GARCIA". */
  readonly full: string;
  /** Tokens in original order after romanisation classes ("MOHAMED" → "MUHAMMAD"). */
  readonly words: readonly string[];
  /** `words` as a sorted set, so that order does not matter. */
  readonly tokens: readonly string[];
  /** `tokens` without particles; all tokens when the name is nothing but particles. */
  readonly coreTokens: readonly string[];
}

const PARTICLES: ReadonlySet<string> = new Set([
  'DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y', 'DA', 'DAS', 'DO', 'DOS', 'DI', 'DU',
  'VAN', 'VON', 'DER', 'DEN', 'TER', 'AL', 'EL', 'BIN', 'BINT', 'IBN',
]); // prettier-ignore

/**
 * Letters that Unicode decomposition leaves alone because they are letters of their own, not a base
 * letter plus a mark. Upper and lower case are both listed: folding happens before upper-casing.
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'SS', ẞ: 'SS', Æ: 'AE', æ: 'AE', Œ: 'OE', œ: 'OE', Ø: 'O', ø: 'O', Ł: 'L', ł: 'L',
  Đ: 'D', đ: 'D', Ð: 'D', ð: 'D', Þ: 'TH', þ: 'TH', Ħ: 'H', ħ: 'H', ı: 'I', Ŧ: 'T', ŧ: 'T',
}; // prettier-ignore
const FOLDABLE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');

/**
 * "José Núñez-García" → "JOSE NUNEZ GARCIA". Diacritics go (NFKD, then marks dropped), special letters
 * are folded, and every run of non-letters and non-digits (hyphen, apostrophe, dot, comma, spaces)
 * becomes one space. Letters of non-Latin scripts are kept as they are: transliterating them is out of
 * scope, travel documents carry the Latin (MRZ) form.
 */
export function normalizeText(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(FOLDABLE, (letter) => LETTER_FOLDS[letter] ?? letter)
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function isParticle(token: string): boolean {
  return PARTICLES.has(token);
}

export function normalizeName(raw: string): NormalizedName {
  const full = normalizeText(raw);
  const words = full === '' ? [] : full.split(' ').map(canonicalToken);
  const tokens = [...new Set(words)].sort();
  const core = tokens.filter((t) => !isParticle(t));
  return { full, words, tokens, coreTokens: core.length > 0 ? core : tokens };
}

export const SURNAME = 1;
export const GIVEN = 2;

/** A core token and the field(s) it was found in (SURNAME | GIVEN bits). */
export interface FieldToken {
  readonly token: string;
  readonly fields: number;
}

/**
 * A person's name as the matcher compares it, computed once per traveler and once per watchlist entry.
 * The fields are kept apart so that a swap of surname and given names can be noticed and reported.
 */
export interface PersonName {
  readonly surname: NormalizedName;
  readonly given: NormalizedName;
  /** Core tokens of both fields, each once, tagged with where they occur. */
  readonly fieldTokens: readonly FieldToken[];
  /** The field's words (particles included) without spaces: "AL RASHID" and "ALRASHID" meet here. */
  readonly surnameCompact: string;
  readonly givenCompact: string;
}

export function personName(surname: string, givenNames: string): PersonName {
  const s = normalizeName(surname);
  const g = normalizeName(givenNames);
  const fields = new Map<string, number>();
  for (const token of s.coreTokens) fields.set(token, (fields.get(token) ?? 0) | SURNAME);
  for (const token of g.coreTokens) fields.set(token, (fields.get(token) ?? 0) | GIVEN);
  return {
    surname: s,
    given: g,
    fieldTokens: [...fields].map(([token, f]) => ({ token, fields: f })),
    surnameCompact: s.words.join(''),
    givenCompact: g.words.join(''),
  };
}
