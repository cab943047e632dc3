import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatchlistSource } from './watchlist.source';

const entry = (id: string) => `  - id: ${id}\n    surname: Ficticio\n    givenNames: Ana\n    reason: test\n`;
const ONE = `entries:\n${entry('e1')}`;
const TWO = `entries:\n${entry('e1')}${entry('e2')}`;
const BAD = `entries:\n${entry('e1')}  - id: e2\n    surname: Ficticio\n    givenNames: Ana\n    dateOfBirth: 'someday'\n    reason: test\n`;

describe('WatchlistSource', () => {
  let file: string;
  let logs: string[];
  let tick = 0;
  // Sets the modification time explicitly: coarse file-system clocks must not hide a change.
  const write = (text: string) => {
    writeFileSync(file, text);
    tick += 10;
    utimesSync(file, new Date(1_750_000_000_000 + tick * 1000), new Date(1_750_000_000_000 + tick * 1000));
  };
  const open = () => new WatchlistSource(file, (m) => logs.push(m));

  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), 'wl-source-')), 'watchlist.yaml');
    logs = [];
    write(ONE);
  });

  it('loads the file at construction and does nothing while the file is unchanged', () => {
    const source = open();
    const first = source.current();
    expect(first.entries.map((e) => e.id)).toEqual(['e1']);
    expect(source.reload()).toBe('unchanged');
    expect(source.current()).toBe(first);
    expect(logs).toEqual([]);
  });

  it('replaces the list with a new object when the file changes', () => {
    const source = open();
    const first = source.current();
    write(TWO);
    expect(source.reload()).toBe('reloaded');
    expect(source.current()).not.toBe(first);
    expect(source.current().entries.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(logs).toEqual([`watchlist ${file} reloaded: 2 entries`]);
  });

  it('keeps the previous list when the new file is invalid, logs the position once, and recovers', () => {
    const source = open();
    const first = source.current();
    write(BAD);
    expect(source.reload()).toBe('kept-previous');
    expect(source.current()).toBe(first);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('keeping the previous list (1 entry)');
    expect(logs[0]).toContain(`${file}:9:18 entries[1].dateOfBirth — must be a calendar date YYYY-MM-DD`);
    expect(logs[0]).not.toContain('someday');

    expect(source.reload()).toBe('unchanged'); // the same bad file is not logged again
    expect(logs).toHaveLength(1);

    write(TWO);
    expect(source.reload()).toBe('reloaded');
    expect(source.current().entries).toHaveLength(2);
  });

  it('keeps the previous list when the file disappears', () => {
    const source = open();
    rmSync(file);
    expect(source.reload()).toBe('kept-previous');
    expect(source.current().entries).toHaveLength(1);
    expect(logs[0]).toContain(`${file}: cannot be read (ENOENT)`);
  });

  it('refuses to start on an invalid file: there is no previous list to keep', () => {
    write(BAD);
    expect(thrownBy(open)).toMatchObject({ code: 'WATCHLIST_INVALID' });
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
