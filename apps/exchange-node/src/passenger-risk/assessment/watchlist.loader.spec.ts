import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssessmentError } from './assessment.error';
import { loadWatchlist, parseWatchlist } from './watchlist.loader';

const problemsOf = (yaml: string): readonly string[] => {
  try {
    parseWatchlist(yaml, 'wl.yaml');
  } catch (error) {
    if (error instanceof AssessmentError) return error.problems;
    throw error;
  }
  throw new Error('expected the watchlist to be rejected');
};

const VALID_ENTRY = `  - id: e1
    surname: Núñez-García
    givenNames: José
    dateOfBirth: '1980-03-14'
    nationality: SLV
    documentNumbers: [ZX1000001]
    reason: test
`;

describe('loadWatchlist', () => {
  it('loads the demo watchlist, José Núñez-García included', () => {
    const list = loadWatchlist(join(__dirname, '../../../../../config/watchlist.demo.yaml'));
    expect(list.entries.length).toBeGreaterThanOrEqual(18);
    expect(list.entries).toContainEqual(
      expect.objectContaining({
        surname: 'Núñez-García',
        givenNames: 'José',
        dateOfBirth: '1980-03-14',
        nationality: 'SLV',
      }),
    );
  });

  it('reads every field of an entry, leaving absent optional ones undefined', () => {
    const list = parseWatchlist(
      `entries:\n${VALID_ENTRY}  - id: e2\n    surname: Sukarno\n    givenNames: ''\n    reason: test\n`,
      'wl.yaml',
    );
    expect(list.entries).toEqual([
      {
        id: 'e1',
        surname: 'Núñez-García',
        givenNames: 'José',
        dateOfBirth: '1980-03-14',
        nationality: 'SLV',
        documentNumbers: ['ZX1000001'],
        reason: 'test',
      },
      { id: 'e2', surname: 'Sukarno', givenNames: '', reason: 'test' },
    ]);
  });

  it('accepts an empty list', () => {
    expect(parseWatchlist('entries: []\n', 'wl.yaml').entries).toEqual([]);
  });

  it('reports an unreadable file with a stable code', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'wl-')), 'absent.yaml');
    expect(thrownBy(() => loadWatchlist(missing))).toMatchObject({
      code: 'WATCHLIST_UNREADABLE',
      problems: [`${missing}: cannot be read (ENOENT)`],
    });
  });

  it('names the file in problems of a file it read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wl-')), 'bad.yaml');
    writeFileSync(file, 'entries: {}\n');
    expect(thrownBy(() => loadWatchlist(file))).toMatchObject({
      code: 'WATCHLIST_INVALID',
      problems: [`${file}:1:10 entries — must be a list`],
    });
  });
});

describe('parseWatchlist errors: file:line:col, the field, never the value', () => {
  it('points at an invalid date of birth without quoting it', () => {
    const problems = problemsOf(`entries:\n${VALID_ENTRY.replace("'1980-03-14'", "'1980-02-30'")}`);
    expect(problems).toEqual(['wl.yaml:5:18 entries[0].dateOfBirth — must be a calendar date YYYY-MM-DD']);
    expect(problems.join()).not.toContain('1980');
  });

  it('reports every problem at once: missing, unknown, mistyped and malformed fields', () => {
    const yaml = `entries:
  - id: e1
    givenNames: José
    reason: test
    alias: Pepe
  - id: e2
    surname: López
    givenNames: Ana
    nationality: sv
    documentNumbers: [12345678, 'ab-1']
    reason: ''
`;
    expect(problemsOf(yaml)).toEqual([
      'wl.yaml:5:12 entries[0].alias — unknown field (allowed: id, surname, givenNames, dateOfBirth, nationality, documentNumbers, reason)',
      'wl.yaml:2:5 entries[0].surname — is required',
      'wl.yaml:9:18 entries[1].nationality — must be ISO 3166-1 alpha-3',
      'wl.yaml:10:23 entries[1].documentNumbers[0] — must be a string of 1–20 upper-case letters or digits',
      'wl.yaml:10:33 entries[1].documentNumbers[1] — must be a string of 1–20 upper-case letters or digits',
      'wl.yaml:11:13 entries[1].reason — must not be empty',
    ]);
  });

  it('rejects a duplicate id, at the second occurrence', () => {
    expect(problemsOf(`entries:\n${VALID_ENTRY}${VALID_ENTRY}`)).toEqual([
      'wl.yaml:9:9 entries[1].id — duplicates the id of entries[0]',
    ]);
  });

  it('rejects a surname without letters and a non-mapping entry', () => {
    expect(
      problemsOf(
        `entries:\n  - id: e1\n    surname: '--'\n    givenNames: ''\n    reason: x\n  - just text\n`,
      ),
    ).toEqual([
      'wl.yaml:3:14 entries[0].surname — must contain at least one letter',
      'wl.yaml:6:5 entries[1] — must be a mapping',
    ]);
  });

  it('rejects unknown top-level fields and a missing entries list', () => {
    expect(problemsOf('version: 2\n')).toEqual([
      'wl.yaml:1:10 version — unknown field (allowed: entries)',
      'wl.yaml:1:1 entries — must be a list',
    ]);
  });

  it('reports YAML syntax errors with their position and code, not the offending text', () => {
    const problems = problemsOf(`entries:\n  - id: e1\n    surname: [Núñez\n  x: y\n`);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^wl\.yaml:4:\d+ — YAML [A-Z_]+: /);
    expect(problems.join()).not.toContain('Núñez');
  });

  it('rejects duplicate keys, which YAML would otherwise silently resolve', () => {
    expect(problemsOf(`entries:\n${VALID_ENTRY}    surname: Other\n`)[0]).toMatch(
      /^wl\.yaml:9:5 — YAML DUPLICATE_KEY/,
    );
  });
});

/** The error `fn` throws, to match its code and problems (toThrow cannot match properties type-safely). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
