import { compareDatesOfBirth } from './date-of-birth.comparison';

describe('compareDatesOfBirth', () => {
  it('matches identical dates', () => {
    expect(compareDatesOfBirth('1980-03-14', '1980-03-14')).toBe('MATCH');
  });

  it('is NEAR for one wrong digit or day and month transposed', () => {
    expect(compareDatesOfBirth('1980-03-15', '1980-03-14')).toBe('NEAR');
    expect(compareDatesOfBirth('1981-03-14', '1980-03-14')).toBe('NEAR');
    expect(compareDatesOfBirth('1980-04-03', '1980-03-04')).toBe('NEAR');
  });

  it('is a MISMATCH otherwise', () => {
    expect(compareDatesOfBirth('1975-08-02', '1980-03-14')).toBe('MISMATCH');
    expect(compareDatesOfBirth('1980-03-25', '1980-03-14')).toBe('MISMATCH');
  });

  it('is UNKNOWN when either side is missing or not a YYYY-MM-DD date', () => {
    expect(compareDatesOfBirth('1980-03-14', undefined)).toBe('UNKNOWN');
    expect(compareDatesOfBirth('14/03/1980', '1980-03-14')).toBe('UNKNOWN');
  });
});
