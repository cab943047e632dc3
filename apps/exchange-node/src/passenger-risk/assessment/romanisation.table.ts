/**
 * Romanisation variants of frequent Arabic- and Cyrillic-origin names. The same person's name is spelt
 * differently by different issuing states (French, English, ICAO 9303 and national transliteration
 * schemes), and edit distance alone scores MOHAMMED/MUHAMMAD or YOUSSEF/YUSUF too low to be trusted.
 *
 * Each class lists the canonical spelling first. The table is deliberately small: only names where the
 * variants are the same name, and only spellings seen on travel documents. Anything not listed falls
 * back to Jaro-Winkler, which already tolerates one or two letters.
 */
const EQUIVALENCE_CLASSES: readonly (readonly string[])[] = [
  ['MUHAMMAD', 'MOHAMMED', 'MOHAMED', 'MOHAMMAD', 'MOHAMAD', 'MUHAMMED', 'MUHAMED', 'MUHAMAD', 'MOHD'],
  ['AHMAD', 'AHMED', 'AHMET'],
  ['YUSUF', 'YOUSSEF', 'YOUSEF', 'YUSEF', 'YOUSSOUF', 'YOUSOUF', 'YOUSUF'],
  ['HUSAYN', 'HUSSEIN', 'HUSSAIN', 'HUSAIN', 'HUSEIN', 'HOSSEIN', 'HOUSSEIN'],
  ['HASAN', 'HASSAN'],
  ['ABDULLAH', 'ABDALLAH', 'ABDULLA', 'ABDULA', 'ABDELLAH'],
  ['UMAR', 'OMAR', 'OMER'],
  ['USAMA', 'OSAMA', 'OUSSAMA', 'OSSAMA'],
  ['KHALID', 'KHALED'],
  ['MAHMUD', 'MAHMOUD', 'MAHMOOD', 'MAKHMUD'],
  ['IBRAHIM', 'EBRAHIM', 'IBRAGIM'],
  ['MUSTAFA', 'MOSTAFA', 'MUSTAPHA', 'MOUSTAFA'],
  ['YAHYA', 'YAHIA', 'YEHIA'],
  ['ALEKSANDR', 'ALEXANDER', 'ALEKSANDER', 'ALEXANDR', 'OLEKSANDR'],
  ['ALEKSEY', 'ALEXEY', 'ALEKSEI', 'ALEXEI', 'OLEKSIY'],
  ['SERGEY', 'SERGEI', 'SERGUEI', 'SERHIY', 'SERGIY'],
  ['DMITRY', 'DMITRI', 'DMITRIY', 'DMITRII', 'DMYTRO'],
  ['YURIY', 'YURI', 'YURY', 'YURII', 'IURII', 'JURIJ'],
  ['ANDREY', 'ANDREI', 'ANDRIY', 'ANDRII'],
  ['MIKHAIL', 'MYKHAILO', 'MIKHAYLO'],
  ['NIKOLAY', 'NIKOLAI', 'MYKOLA'],
  ['YEVGENIY', 'YEVGENY', 'EVGENY', 'EVGENIY', 'EVGENII', 'YEVHEN'],
  ['TATYANA', 'TATIANA', 'TATJANA'],
  ['NATALYA', 'NATALIA', 'NATALIYA'],
  ['YULIYA', 'YULIA', 'IULIIA'],
];

/**
 * Surname endings that differ only by transliteration scheme (IVANOFF/IVANOV, ZELENSKYY/ZELENSKIY/
 * ZELENSKI). Applied to tokens of five letters or more, so that short names are left alone.
 */
const SUFFIX_RULES: readonly (readonly [RegExp, string])[] = [
  [/OFF$/, 'OV'],
  [/EFF$/, 'EV'],
  [/(SKYY|SKIY|SKII|SKIJ|SKYI|SKI)$/, 'SKY'],
];

const CANONICAL = buildCanonicalMap(EQUIVALENCE_CLASSES);

/** The canonical spelling of one normalised token (upper-case A–Z); the token itself when unknown. */
export function canonicalToken(token: string): string {
  const known = CANONICAL.get(token);
  if (known !== undefined) return known;
  if (token.length < 5) return token;
  for (const [ending, replacement] of SUFFIX_RULES)
    if (ending.test(token)) return token.replace(ending, replacement);
  return token;
}

/** Exposed for the test that keeps the classes disjoint. */
export function equivalenceClasses(): readonly (readonly string[])[] {
  return EQUIVALENCE_CLASSES;
}

function buildCanonicalMap(classes: readonly (readonly string[])[]): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const [canonical, ...variants] of classes) {
    if (canonical === undefined) continue;
    for (const spelling of [canonical, ...variants]) map.set(spelling, canonical);
  }
  return map;
}
