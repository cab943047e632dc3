import { chooseLang, explainReason, formatDate, REASONS, STRINGS, translate } from './i18n';

describe('console strings', () => {
  it('has every string in both languages, and none empty', () => {
    expect(Object.keys(STRINGS.es).sort()).toEqual(Object.keys(STRINGS.en).sort());
    for (const lang of ['es', 'en'] as const)
      for (const [key, text] of Object.entries(STRINGS[lang]))
        expect({ key, text: text.trim() }).not.toEqual({ key, text: '' });
    for (const [code, words] of Object.entries(REASONS)) {
      expect({ code, es: !!words.es, en: !!words.en }).toEqual({ code, es: true, en: true });
      expect(words.es).not.toBe(words.en);
    }
  });

  it('follows the browser unless the officer chose, and falls back to English', () => {
    expect(chooseLang(null, ['es-SV', 'en-US'])).toBe('es');
    expect(chooseLang(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(chooseLang(null, ['fr-FR'])).toBe('en');
    expect(chooseLang('en', ['es-SV'])).toBe('en');
  });

  it('fills in values, explains reason codes, and formats a calendar date without shifting it', () => {
    expect(translate('es', 'page', { n: 2, total: 5 })).toBe('Página 2 de 5');
    expect(explainReason('es', 'PURPOSE_NOT_PERMITTED')).toBe('El acuerdo no permite esta finalidad.');
    expect(explainReason('en', 'SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(formatDate('en', '2026-12-01')).toContain('Dec 1, 2026');
    expect(formatDate('es', '2026-12-01')).toContain('dic');
  });
});
