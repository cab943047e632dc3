import { GIVEN, normalizeName, normalizeText, personName, SURNAME } from './name.normalizer';
import { canonicalToken, equivalenceClasses } from './romanisation.table';

describe('normalizeText', () => {
  it('strips diacritics and upper-cases: José Núñez → JOSE NUNEZ', () => {
    expect(normalizeText('José Núñez')).toBe('JOSE NUNEZ');
    expect(normalizeText('Çağlar Öztürk Ångström')).toBe('CAGLAR OZTURK ANGSTROM');
  });

  it('folds letters that have no decomposition', () => {
    expect(normalizeText('Strauß')).toBe('STRAUSS');
    expect(normalizeText('Ærøskøbing')).toBe('AEROSKOBING');
    expect(normalizeText('Łukasz Đorđević Þórsson Kırık')).toBe('LUKASZ DORDEVIC THORSSON KIRIK');
    expect(normalizeText('Œuvre')).toBe('OEUVRE');
  });

  it('turns hyphens, apostrophes, dots and commas into single spaces', () => {
    expect(normalizeText("  O'Brien-Smith,  Jr.  ")).toBe('O BRIEN SMITH JR');
    expect(normalizeText('D’Angelo')).toBe('D ANGELO');
    expect(normalizeText('Núñez-García')).toBe('NUNEZ GARCIA');
  });

  it('keeps letters of other scripts instead of dropping them', () => {
    expect(normalizeText('Иван')).toBe('ИВАН');
  });
});

describe('normalizeName', () => {
  it('gives a sorted token set, duplicates removed, original order kept in words', () => {
    const n = normalizeName('Zapata Abarca Zapata');
    expect(n.full).toBe('ZAPATA ABARCA ZAPATA');
    expect(n.words).toEqual(['ZAPATA', 'ABARCA', 'ZAPATA']);
    expect(n.tokens).toEqual(['ABARCA', 'ZAPATA']);
  });

  it('keeps particles in the full name and tokens but not in the core tokens', () => {
    const n = normalizeName('María de la Cruz');
    expect(n.full).toBe('MARIA DE LA CRUZ');
    expect(n.tokens).toEqual(['CRUZ', 'DE', 'LA', 'MARIA']);
    expect(n.coreTokens).toEqual(['CRUZ', 'MARIA']);
    expect(normalizeName('van der Berg').coreTokens).toEqual(['BERG']);
    expect(normalizeName('Al-Rashid bin Omar').coreTokens).toEqual(['RASHID', 'UMAR']);
  });

  it('does not treat BEN as a particle (it is also a given name)', () => {
    expect(normalizeName('Ben Ali').coreTokens).toEqual(['ALI', 'BEN']);
  });

  it('keeps a name made only of particles rather than leaving it empty', () => {
    expect(normalizeName('Del').coreTokens).toEqual(['DEL']);
  });

  it('maps romanisation variants onto one canonical token', () => {
    const canon = (s: string) => normalizeName(s).tokens;
    expect(canon('Mohamed')).toEqual(canon('Muhammad'));
    expect(canon('MOHAMMED')).toEqual(['MUHAMMAD']);
    expect(canon('Youssef')).toEqual(canon('Yusuf'));
    expect(canon('Alexander')).toEqual(canon('Aleksandr'));
    expect(canon('Hussein')).toEqual(canon('Husain'));
    expect(canon('Ivanoff')).toEqual(canon('Ivanov'));
    expect(canon('Zelenskyy')).toEqual(canon('Zelenski'));
    expect(canon('Zelenskiy')).toEqual(['ZELENSKY']);
  });

  it('does not rewrite endings of short tokens, nor unrelated names', () => {
    expect(canonicalToken('SKI')).toBe('SKI');
    expect(canonicalToken('GARCIA')).toBe('GARCIA');
    expect(canonicalToken('ALI')).toBe('ALI');
  });
});

describe('romanisation table', () => {
  it('has disjoint classes, each spelling upper-case A–Z, so that a variant has one canonical form', () => {
    const seen = new Set<string>();
    for (const spelling of equivalenceClasses().flat()) {
      expect(spelling).toMatch(/^[A-Z]+$/);
      expect(seen.has(spelling)).toBe(false);
      seen.add(spelling);
    }
  });
});

describe('personName', () => {
  it('tags each core token with the field(s) it appears in, and joins each field without spaces', () => {
    const n = personName('Núñez-García', 'José García');
    expect(n.fieldTokens).toEqual(
      expect.arrayContaining([
        { token: 'NUNEZ', fields: SURNAME },
        { token: 'GARCIA', fields: SURNAME | GIVEN },
        { token: 'JOSE', fields: GIVEN },
      ]),
    );
    expect(n.fieldTokens).toHaveLength(3);
    expect(n.surnameCompact).toBe('NUNEZGARCIA');
    expect(personName('al Rashid', '').surnameCompact).toBe('ALRASHID');
  });
});
