import { describe, expect, it } from 'vitest';
import { LOCALES, pickLocale, translator } from '../../widget/src/i18n';
import { helpLang, helpWords } from '../../server/help/words';

describe('widget and help centre languages', () => {
  it('picks the embed’s locale, else the first browser language we have, else English', () => {
    expect(pickLocale('de', ['fr-FR', 'en'])).toBe('de');
    expect(pickLocale(undefined, ['pt-BR', 'es-MX', 'en'])).toBe('es');
    expect(pickLocale('xx', ['ja'])).toBe('en');
    expect(pickLocale(undefined, [])).toBe('en');
    // Names every object has are no language: the next usable one wins, and nothing throws.
    expect(pickLocale('constructor', ['__proto__', 'toString', 'fr'])).toBe('fr');
    expect(() => translator(pickLocale('hasOwnProperty', []))('send')).not.toThrow();
  });

  it('has every string in every language, with the same placeholders', () => {
    const keys = Object.keys(LOCALES.en) as (keyof typeof LOCALES.en)[];
    for (const [lang, words] of Object.entries(LOCALES)) {
      for (const key of keys) {
        expect(words[key], `${lang}.${key}`).toBeTruthy();
        expect((words[key].match(/\{\w+\}/g) ?? []).sort(), `${lang}.${key}`).toEqual((LOCALES.en[key].match(/\{\w+\}/g) ?? []).sort());
      }
    }
    expect(translator('fr')('typing', { name: 'Alex' })).toBe('Alex écrit…');
  });

  it('translates the help centre chrome by article locale', () => {
    expect(helpLang('fr-CA')).toBe('fr');
    expect(helpLang('pt')).toBe('en');
    expect(helpWords('de')('helpful')).toBe('War dieser Artikel hilfreich?');
  });
});
