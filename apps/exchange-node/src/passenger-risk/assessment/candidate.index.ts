import type { PersonName } from './name.normalizer';
import type { PreparedEntry, PreparedPerson } from './prepared-person';

/**
 * Blocking: which listed persons are worth a full comparison with a traveler.
 *
 * Every name element (core tokens, plus each field written without spaces) is indexed under itself and,
 * from three letters up, under each of its one-letter deletions. Two elements one typo apart (a letter
 * wrong, missing, extra, or two neighbours swapped) always share one of these keys, which covers the
 * one-typo tolerance of the name comparison without comparing every pair.
 *
 * A listed person is a candidate when (a) two distinct elements of the traveler's name hit it (one if
 * either name has a single element): with fewer, the name score is capped far below POSSIBLE_MATCH;
 * (b) one element hits and the date of birth is identical, for a second element spelt too far off
 * for the keys (two typos in a long name); or (c) the traveler's document number is listed.
 */
export class CandidateIndex {
  // Two levels: a key leads to the distinct name elements that produce it, an element to the entries
  // that carry it. A common surname's entries are then visited once per traveler, not once per key.
  private readonly elementsByKey = new Map<string, number[]>();
  private readonly elementIds = new Map<string, number>();
  private readonly entriesByElement: number[][] = [];
  private readonly entriesByDocument = new Map<string, number[]>();
  private readonly elementCount: Uint8Array;
  // Scratch marks for one query, reused: allocation-free counting matters at 1,000 × 10,000.
  private readonly hits: Uint8Array;
  private readonly hitQuery: Float64Array;
  private readonly hitElement: Float64Array;
  private elementSeen = new Float64Array(0);
  private query = 0;
  private mark = 0;

  constructor(readonly entries: readonly PreparedEntry[]) {
    this.elementCount = new Uint8Array(entries.length);
    this.hits = new Uint8Array(entries.length);
    this.hitQuery = new Float64Array(entries.length);
    this.hitElement = new Float64Array(entries.length);
    entries.forEach((entry, i) => this.add(entry, i));
    this.elementSeen = new Float64Array(this.entriesByElement.length);
  }

  /** Indices into `entries`, ascending. */
  candidates(traveler: PreparedPerson): number[] {
    const query = ++this.query;
    const touched: number[] = [];
    const elements = blockingElements(traveler.name);
    for (const element of elements) {
      const mark = ++this.mark;
      for (const key of blockingKeys(element))
        for (const e of this.elementsByKey.get(key) ?? []) {
          if (this.elementSeen[e] === mark) continue;
          this.elementSeen[e] = mark;
          for (const i of this.entriesByElement[e] ?? []) {
            if (this.hitElement[i] === mark) continue; // one traveler element counts once per entry
            this.hitElement[i] = mark;
            if (this.hitQuery[i] !== query) {
              this.hitQuery[i] = query;
              this.hits[i] = 0;
              touched.push(i);
            }
            const hits = this.hits[i] ?? 0;
            if (hits < 255) this.hits[i] = hits + 1;
          }
        }
    }
    const chosen = new Set(touched.filter((i) => this.qualifies(i, elements.length, traveler)));
    for (const document of traveler.documents)
      for (const i of this.entriesByDocument.get(document) ?? []) chosen.add(i);
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
    for (const element of elements) this.entriesByElement[this.elementId(element)]?.push(i);
    for (const document of new Set(entry.documents)) push(this.entriesByDocument, document, i);
  }

  private elementId(element: string): number {
    let id = this.elementIds.get(element);
    if (id === undefined) {
      id = this.entriesByElement.length;
      this.elementIds.set(element, id);
      this.entriesByElement.push([]);
      for (const key of new Set(blockingKeys(element))) push(this.elementsByKey, key, id);
    }
    return id;
  }
}

function blockingElements(name: PersonName): string[] {
  const elements = new Set(name.fieldTokens.map((t) => t.token));
  if (name.surnameCompact !== '') elements.add(name.surnameCompact);
  if (name.givenCompact !== '') elements.add(name.givenCompact);
  return [...elements];
}

/** The element and, from three letters up, each one-letter deletion of it ("LIU" meets "LI"). */
export function blockingKeys(element: string): string[] {
  const keys = [element];
  if (element.length >= 3)
    for (let i = 0; i < element.length; i++) keys.push(element.slice(0, i) + element.slice(i + 1));
  return keys;
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}
