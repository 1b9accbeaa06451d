import { en } from './en';
import { negotiateLocale, t } from './i18n';
import { ko } from './ko';

describe('i18n catalogues', () => {
  it('has every key in both languages, none empty', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of [...Object.entries(en), ...Object.entries(ko)]) {
      expect(`${key}:${value.trim().length > 0}`).toBe(`${key}:true`);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(`${key}=${placeholders(ko[key])}`).toBe(`${key}=${placeholders(en[key])}`);
    }
  });

  it('fills placeholders and falls back to the key', () => {
    expect(t('ko', 'bulk.merged', { count: 2, number: 7 })).toBe('티켓 2개를 #7에 병합했어요.');
    expect(t('en', 'no.such.key')).toBe('no.such.key');
  });

  it('negotiates the locale', () => {
    expect(negotiateLocale(undefined, 'ko-KR,ko;q=0.9,en-US;q=0.8')).toBe('ko');
    expect(negotiateLocale(undefined, 'en-US,en;q=0.9,ko;q=0.5')).toBe('en');
    expect(negotiateLocale('ko', 'en-US')).toBe('ko');
    expect(negotiateLocale(undefined, 'fr-FR')).toBe('en');
    expect(negotiateLocale(undefined, undefined)).toBe('en');
  });
});
