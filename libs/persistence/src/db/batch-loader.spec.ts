import { BatchLoader } from './batch-loader';
import { rowStatements } from './deferred-rows';

describe('BatchLoader', () => {
  it('answers lookups made together with one load, each caller with its own row', async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string, number>(
      (keys) => {
        calls.push([...keys]);
        return Promise.resolve(new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length])));
      },
      (k) => k,
    );
    const found = await Promise.all(['a', 'bbb', 'missing', 'cc'].map((k) => loader.load(k)));
    expect(found).toEqual([1, 3, undefined, 2]);
    expect(calls).toEqual([['a', 'bbb', 'missing', 'cc']]);
    expect(await loader.load('dddd')).toBe(4);
    expect(calls).toHaveLength(2);
  });

  it('rejects every caller of a failed load, and the next load tries again', async () => {
    let fail = true;
    const loader = new BatchLoader<string, string>(
      (keys) =>
        fail ? Promise.reject(new Error('database down')) : Promise.resolve(new Map(keys.map((k) => [k, k]))),
      (k) => k,
    );
    const outcomes = await Promise.allSettled([loader.load('x'), loader.load('y')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.load('x')).toBe('x');
  });
});

describe('rowStatements', () => {
  const spec = { table: 't', columns: [['a'], ['b', 'jsonb']] as const, suffix: 'on conflict do nothing' };

  it('writes many rows with one statement, numbering the parameters and casts', () => {
    expect(
      rowStatements(spec, [
        [1, '{}'],
        [2, '[]'],
      ]),
    ).toEqual([
      {
        sql: 'insert into t (a, b) values ($1, $2::jsonb), ($3, $4::jsonb) on conflict do nothing',
        params: [1, '{}', 2, '[]'],
      },
    ]);
  });

  it('splits at the parameter limit and refuses a row of the wrong width', () => {
    const rows = Array.from({ length: 30_001 }, (_, i) => [i, '{}']);
    const statements = rowStatements(spec, rows);
    expect(statements.map((s) => s.params.length)).toEqual([60_000, 2]);
    expect(() => rowStatements(spec, [[1]])).toThrow('1 values for 2 columns');
  });
});
