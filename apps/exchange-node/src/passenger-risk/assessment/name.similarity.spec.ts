import { personName } from './name.normalizer';
import { compareNames } from './name.similarity';

const compare = (traveler: [string, string], listed: [string, string]) =>
  compareNames(personName(...traveler), personName(...listed));

describe('compareNames', () => {
  it('is exact when the names are equal after normalisation, whatever the accents and hyphens', () => {
    expect(compare(['NUNEZ GARCIA', 'JOSE'], ['Núñez-García', 'José'])).toEqual({
      score: 1,
      reasons: ['NAME_EXACT'],
    });
  });

  it('reports romanisation and particle differences as a variant, just below exact', () => {
    const romanised = compare(['Al Fiktiv', 'Mohamed'], ['Al-Fiktiv', 'Muhammad']);
    expect(romanised.reasons).toEqual(['NAME_VARIANT']);
    expect(romanised.score).toBe(0.98);
    expect(compare(['Cruz', 'Maria'], ['de la Cruz', 'María']).reasons).toEqual(['NAME_VARIANT']);
  });

  it('joins names split differently: ALRASHID and AL RASHID', () => {
    const c = compare(['Alrashid', 'Omar'], ['Al Rashid', 'Umar']);
    expect(c.score).toBe(0.98);
    expect(c.reasons).toEqual(['NAME_VARIANT']);
  });

  it('tolerates surname and given names swapped, at a small cost, and says so', () => {
    const c = compare(['JOSE', 'NUNEZ GARCIA'], ['Núñez-García', 'José']);
    expect(c.reasons).toEqual(['NAME_TOKEN_ORDER']);
    expect(c.score).toBeGreaterThan(0.9);
    expect(c.score).toBeLessThan(1);
  });

  it('tolerates one wrong letter as fuzzy', () => {
    const c = compare(['Nunex Garcia', 'Jose'], ['Nunez Garcia', 'Jose']);
    expect(c.reasons).toEqual(['NAME_FUZZY']);
    expect(c.score).toBeGreaterThan(0.9);
  });

  it('tolerates a missing middle name or second surname as partial, at a small cost', () => {
    const middle = compare(['Nunez Garcia', 'Jose'], ['Nunez Garcia', 'Jose Antonio']);
    const second = compare(['Nunez', 'Jose'], ['Nunez Garcia', 'Jose']);
    for (const c of [middle, second]) {
      expect(c.reasons).toEqual(['NAME_PARTIAL']);
      expect(c.score).toBeCloseTo(0.95, 5);
    }
    expect(compare(['Nunez', 'Jose'], ['Nunez Garcia', 'Jose Antonio']).score).toBeCloseTo(0.9, 5);
  });

  it('does not let a shared given name identify anyone', () => {
    expect(compare(['Perez', 'Jose'], ['Nunez Garcia', 'Jose']).score).toBeLessThanOrEqual(0.5);
    expect(compare(['Lopez', 'Muhammad'], ['Hasan', 'Mohamed']).score).toBeLessThanOrEqual(0.5);
  });

  it('caps a single shared element of a longer name, even the surname', () => {
    expect(compare(['Garcia', 'Pedro'], ['Garcia', 'Jose']).score).toBeLessThanOrEqual(0.6);
  });

  it('does not let the joined-field comparison pass a prefix for a name (WANG vs WANGLI)', () => {
    expect(compare(['Wang', 'Wei'], ['Wangli', 'Wei']).score).toBeLessThanOrEqual(0.6);
  });

  it('gives unrelated names a low score', () => {
    expect(compare(['Smith', 'John'], ['Nunez Garcia', 'Jose']).score).toBe(0);
  });
});
