import { jaroWinkler } from './jaro-winkler';

describe('jaroWinkler', () => {
  it('reproduces the published reference values', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
  });

  it('is 1 for equal strings, 0 against an empty or disjoint string', () => {
    expect(jaroWinkler('NUNEZ', 'NUNEZ')).toBe(1);
    expect(jaroWinkler('', 'NUNEZ')).toBe(0);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
  });

  it('is symmetric', () => {
    for (const [a, b] of [
      ['NUNEZ', 'NUNEX'],
      ['GARCIA', 'GRACIA'],
      ['MARIA', 'MARIANA'],
    ] as const)
      expect(jaroWinkler(a, b)).toBeCloseTo(jaroWinkler(b, a), 12);
  });

  it('scores one typo in a surname above a different short name', () => {
    expect(jaroWinkler('NUNEZ', 'NUNEX')).toBeGreaterThan(0.9);
    expect(jaroWinkler('ANA', 'ANN')).toBeLessThan(0.85);
  });
});
