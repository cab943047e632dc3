import { personName, type PersonName } from './name.normalizer';
import type { TravelerFacts } from './traveler-assessor';
import type { WatchlistEntry } from './watchlist';

/** Either side of a comparison, normalised once so that each candidate pair costs only the comparison. */
export interface PreparedPerson {
  readonly name: PersonName;
  readonly dateOfBirth?: string;
  readonly nationality?: string;
  /** Normalised document numbers: at most one for a traveler, any number for a listed person. */
  readonly documents: readonly string[];
}

export interface PreparedEntry extends PreparedPerson {
  readonly id: string;
}

export function prepareTraveler(t: TravelerFacts): PreparedPerson {
  const document = t.documentNumber === undefined ? '' : normalizeDocumentNumber(t.documentNumber);
  return {
    name: personName(t.surname, t.givenNames),
    dateOfBirth: t.dateOfBirth,
    nationality: t.nationality.toUpperCase(),
    documents: document === '' ? [] : [document],
  };
}

export function prepareEntry(e: WatchlistEntry): PreparedEntry {
  return {
    id: e.id,
    name: personName(e.surname, e.givenNames),
    dateOfBirth: e.dateOfBirth,
    nationality: e.nationality?.toUpperCase(),
    documents: (e.documentNumbers ?? []).map(normalizeDocumentNumber).filter((d) => d !== ''),
  };
}

/** Upper-case letters and digits only: MRZ filler '<', spaces and dashes are formatting, not the number. */
export function normalizeDocumentNumber(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
