import { readFileSync } from 'node:fs';
import { AssessmentError } from './assessment.error';
import { normalizeText } from './name.normalizer';
import type { Watchlist, WatchlistEntry } from './watchlist';
import { type YamlPath, YamlPositions } from './yaml-positions';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const ENTRY_FIELDS = [
  'id',
  'surname',
  'givenNames',
  'dateOfBirth',
  'nationality',
  'documentNumbers',
  'reason',
];
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const NATIONALITY = /^[A-Z]{3}$/;
const DOCUMENT_NUMBER = /^[A-Z0-9]{1,20}$/;

/** Reads and validates a watchlist file; throws AssessmentError listing every problem as file:line:col. */
export function loadWatchlist(file: string): Watchlist {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new AssessmentError('WATCHLIST_UNREADABLE', [`${file}: cannot be read (${code})`]);
  }
  return parseWatchlist(text, file);
}

export function parseWatchlist(text: string, name: string): Watchlist {
  const src = new YamlPositions(text, name);
  const entries = src.problems.length === 0 ? readEntries(src) : [];
  if (src.problems.length > 0) throw new AssessmentError('WATCHLIST_INVALID', src.problems);
  return { entries };
}

function readEntries(src: YamlPositions): WatchlistEntry[] {
  const root = src.value;
  if (!isObj(root)) {
    src.report([], 'must be a mapping with an `entries` list');
    return [];
  }
  for (const key of Object.keys(root))
    if (key !== 'entries') src.report([key], 'unknown field (allowed: entries)');
  if (!Array.isArray(root.entries)) {
    src.report(['entries'], 'must be a list');
    return [];
  }
  const entries: WatchlistEntry[] = [];
  const firstIndexOfId = new Map<string, number>();
  root.entries.forEach((raw: unknown, i) => {
    const entry = readEntry(src, raw, ['entries', i]);
    if (!entry) return;
    const earlier = firstIndexOfId.get(entry.id);
    if (earlier !== undefined) src.report(['entries', i, 'id'], `duplicates the id of entries[${earlier}]`);
    else firstIndexOfId.set(entry.id, i);
    entries.push(entry);
  });
  return entries;
}

function readEntry(src: YamlPositions, raw: unknown, at: YamlPath): WatchlistEntry | undefined {
  if (!isObj(raw)) {
    src.report(at, 'must be a mapping');
    return undefined;
  }
  const before = src.problems.length;
  for (const key of Object.keys(raw))
    if (!ENTRY_FIELDS.includes(key))
      src.report([...at, key], `unknown field (allowed: ${ENTRY_FIELDS.join(', ')})`);
  const f = new Fields(src, raw, at);
  const id = f.text('id', (v) => ID.test(v), 'must be 1–64 letters, digits, _ . : or -');
  const surname = f.text('surname', (v) => normalizeText(v) !== '', 'must contain at least one letter');
  const givenNames = f.text('givenNames', () => true, '', true);
  const dateOfBirth = f.optionalText('dateOfBirth', isCalendarDate, 'must be a calendar date YYYY-MM-DD');
  const nationality = f.optionalText('nationality', (v) => NATIONALITY.test(v), 'must be ISO 3166-1 alpha-3');
  const documentNumbers = f.documentNumbers('documentNumbers');
  const reason = f.text('reason', (v) => v.trim() !== '', 'must not be empty');
  if (src.problems.length > before || id === undefined || surname === undefined) return undefined;
  if (givenNames === undefined || reason === undefined) return undefined;
  return { id, surname, givenNames, dateOfBirth, nationality, documentNumbers, reason };
}

/** Field readers that report at the field's position and never quote the value. */
class Fields {
  constructor(
    private readonly src: YamlPositions,
    private readonly obj: Obj,
    private readonly at: YamlPath,
  ) {}

  text(key: string, ok: (v: string) => boolean, rule: string, emptyAllowed = false): string | undefined {
    const v = this.obj[key];
    if (v === undefined) return this.fail(key, 'is required');
    if (typeof v !== 'string') return this.fail(key, 'must be a string (quote it)');
    if (!emptyAllowed && v.trim() === '') return this.fail(key, 'must not be empty');
    return ok(v) ? v : this.fail(key, rule);
  }

  optionalText(key: string, ok: (v: string) => boolean, rule: string): string | undefined {
    return this.obj[key] === undefined ? undefined : this.text(key, ok, rule);
  }

  documentNumbers(key: string): string[] | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return this.fail(key, 'must be a list');
    v.forEach((n: unknown, i) => {
      if (typeof n !== 'string' || !DOCUMENT_NUMBER.test(n))
        this.src.report([...this.at, key, i], 'must be a string of 1–20 upper-case letters or digits');
    });
    return v.filter((n): n is string => typeof n === 'string');
  }

  private fail(key: string, what: string): undefined {
    this.src.report([...this.at, key], what);
    return undefined;
  }
}

function isCalendarDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === v;
}
