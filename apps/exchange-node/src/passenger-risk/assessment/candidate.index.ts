import type { PersonName } from './name.normalizer';
import type { PreparedEntry, PreparedPerson } from './prepared-person';

/**
 * Blocking: which listed persons are worth a full comparison with a traveler.
 *
 * Every name element (core tokens, plus each field written without spaces) is indexed under itself and,
 * from four letters up, under each of its one-letter deletions. Two elements one typo apart (a letter
 * wrong, missing, extra or two letters swapped) always share one of these keys, so the index finds
 * the same pairs as Jaro-Winkler's one-typo tolerance without comparing every pair.
 *
 * A listed person is a candidate when (a) two distinct elements of the traveler's name hit it (one if
 * either name has a single element) — fewer can never score as a match; (b) one element hits it and
 * the date of birth is identical, for a second element spelt too far off for the keys; or (c) the
 * document number is listed.
 */
export class CandidateIndex {
  private readonly byKey = new Map<string, number[]>();
  private readonly byDocument = new Map<string, number[]>();
  private readonly elementCount: Uint8Array;
  // Scratch space for one query, reused: allocation-free counting matters at 1,000 × 10,000.
  private readonly hits: Uint8Array;
  private readonly hitQuery: Float64Array;
  private readonly hitElement: Float64Array;
  private query = 0;
  private element = 0;

  constructor(readonly entries: readonly PreparedEntry[]) {
    this.elementCount = new Uint8Array(entries.length);
    this.hits = new Uint8Array(entries.length);
    this.hitQuery = new Float64Array(entries.length);
    this.hitElement = new Float64Array(entries.length);
    entries.forEach((entry, i) => this.add(entry, i));
  }

  /** Indices into `entries`, ascending. */
  candidates(traveler: PreparedPerson): number[] {
    const query = ++this.query;
    const touched: number[] = [];
    const elements = blockingElements(traveler.name);
    for (const element of elements) {
      const mark = ++this.element;
      for (const key of blockingKeys(element))
        for (const i of this.byKey.get(key) ?? []) {
          if (this.hitElement[i] === mark) continue; // one element counts once, whichever key hit
          this.hitElement[i] = mark;
          if (this.hitQuery[i] !== query) {
            this.hitQuery[i] = query;
            this.hits[i] = 0;
            touched.push(i);
          }
          this.hits[i] = Math.min(255, (this.hits[i] ?? 0) + 1);
        }
    }
    const chosen = new Set(touched.filter((i) => this.qualifies(i, elements.length, traveler)));
    for (const document of traveler.documents)
      for (const i of this.byDocument.get(document) ?? []) chosen.add(i);
    return [...chosen].sort((a, b) => a - b);
  }

  private qualifies(i: number, travelerElements: number, traveler: PreparedPerson): boolean {
    const hits = this.hits[i] ?? 0;
    if (hits >= Math.min(2, travelerElements, this.elementCount[i] ?? 0)) return true;
    const dob = this.entries[i]?.dateOfBirth;
    return dob !== undefined && dob === traveler.dateOfBirth;
  }

  private add(entry: PreparedEntry, i: number): void {
    const elements = blockingElements(entry.name);
    this.elementCount[i] = Math.min(255, elements.length);
    const keys = new Set(elements.flatMap(blockingKeys));
    for (const key of keys) push(this.byKey, key, i);
    for (const document of new Set(entry.documents)) push(this.byDocument, document, i);
  }
}

function blockingElements(name: PersonName): string[] {
  const elements = new Set(name.fieldTokens.map((t) => t.token));
  if (name.surnameCompact !== '') elements.add(name.surnameCompact);
  if (name.givenCompact !== '') elements.add(name.givenCompact);
  return [...elements];
}

/** The element and, from four letters up, each one-letter deletion of it. */
export function blockingKeys(element: string): string[] {
  const keys = [element];
  if (element.length >= 4)
    for (let i = 0; i < element.length; i++) keys.push(element.slice(0, i) + element.slice(i + 1));
  return keys;
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}
