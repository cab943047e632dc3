import { classify, DEFAULT_THRESHOLDS, recommendedAction, scoreCandidate } from './match.scoring';
import type { PreparedPerson } from './prepared-person';
import { personName } from './name.normalizer';

const person = (
  surname: string,
  given: string,
  over: Partial<Omit<PreparedPerson, 'name'>> = {},
): PreparedPerson => ({ name: personName(surname, given), documents: [], ...over });
const listed = person('Núñez-García', 'José', {
  dateOfBirth: '1980-03-14',
  nationality: 'SLV',
  documents: ['ZX1000001'],
});

describe('scoreCandidate', () => {
  it('an exact name and date of birth is a MATCH', () => {
    const s = scoreCandidate(
      person('NUNEZ GARCIA', 'JOSE', { dateOfBirth: '1980-03-14' }),
      listed,
      DEFAULT_THRESHOLDS,
    );
    expect(s.outcome).toBe('MATCH');
    expect(s.reasons).toEqual(['NAME_EXACT', 'DOB_MATCH']);
  });

  it('a name alone, however exact, is at most a POSSIBLE_MATCH', () => {
    const noDob = person('Núñez-García', 'José', { nationality: 'SLV' });
    const s = scoreCandidate(
      person('NUNEZ GARCIA', 'JOSE', { nationality: 'SLV', dateOfBirth: '1980-03-14' }),
      noDob,
      DEFAULT_THRESHOLDS,
    );
    expect(s.outcome).toBe('POSSIBLE_MATCH');
    expect(s.reasons).toEqual(['NAME_EXACT', 'NATIONALITY_MATCH']);
  });

  it('the same name with a different date of birth is NO_MATCH, with DOB_MISMATCH as the reason', () => {
    const s = scoreCandidate(
      person('Nunez Garcia', 'Jose', { dateOfBirth: '1975-08-02', nationality: 'SLV' }),
      listed,
      DEFAULT_THRESHOLDS,
    );
    expect(s.outcome).toBe('NO_MATCH');
    expect(s.reasons).toContain('DOB_MISMATCH');
    expect(s.score).toBeLessThan(DEFAULT_THRESHOLDS.possible);
  });

  it('a date of birth one keystroke off turns an exact name into a POSSIBLE_MATCH', () => {
    const s = scoreCandidate(
      person('Nunez Garcia', 'Jose', { dateOfBirth: '1980-03-15' }),
      listed,
      DEFAULT_THRESHOLDS,
    );
    expect(s).toMatchObject({ outcome: 'POSSIBLE_MATCH', reasons: ['NAME_EXACT', 'DOB_NEAR'] });
  });

  it('a listed document with a conflicting date of birth is never a MATCH, even with lax thresholds', () => {
    const traveler = person('Nunez Garcia', 'Jose', {
      dateOfBirth: '1975-08-02',
      nationality: 'SLV',
      documents: ['ZX1000001'],
    });
    for (const thresholds of [DEFAULT_THRESHOLDS, { match: 0.6, possible: 0.5 }]) {
      const s = scoreCandidate(traveler, listed, thresholds);
      expect(s.outcome).toBe('POSSIBLE_MATCH');
      expect(s.reasons).toEqual(expect.arrayContaining(['DOB_MISMATCH', 'DOCUMENT_MATCH']));
      expect(s.score).toBeLessThan(thresholds.match);
    }
  });

  it('a listed document presented under another name is still looked at', () => {
    const s = scoreCandidate(
      person('Smith', 'John', { documents: ['ZX1000001'] }),
      listed,
      DEFAULT_THRESHOLDS,
    );
    expect(s.outcome).toBe('POSSIBLE_MATCH');
    expect(s.reasons).toEqual(['NAME_MISMATCH', 'DOCUMENT_MATCH']);
  });
});

describe('classify and recommendedAction', () => {
  it('uses the thresholds inclusively', () => {
    expect(classify(0.9, DEFAULT_THRESHOLDS)).toBe('MATCH');
    expect(classify(0.899, DEFAULT_THRESHOLDS)).toBe('POSSIBLE_MATCH');
    expect(classify(0.75, DEFAULT_THRESHOLDS)).toBe('POSSIBLE_MATCH');
    expect(classify(0.749, DEFAULT_THRESHOLDS)).toBe('NO_MATCH');
  });

  it('escalates in the order of the wire contract', () => {
    expect(recommendedAction('NO_MATCH')).toBe('NONE');
    expect(recommendedAction('POSSIBLE_MATCH')).toBe('SECONDARY_INSPECTION');
    expect(recommendedAction('MATCH')).toBe('REFER_TO_OFFICER');
  });
});
