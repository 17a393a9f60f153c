import { describe, expect, it } from 'vitest';
import { pickLocale, strings } from '../src/i18n.js';
import { onAccent } from '../src/styles.js';

describe('widget language', () => {
  it("follows the channel, or the visitor's first browser language when the channel says auto", () => {
    expect(pickLocale('ru', ['en-US'])).toBe('ru');
    expect(pickLocale('en', ['ru-RU'])).toBe('en');
    expect(pickLocale('auto', ['ru-RU', 'en'])).toBe('ru');
    expect(pickLocale('auto', ['ru'])).toBe('ru');
    expect(pickLocale('auto', ['en-GB', 'ru'])).toBe('en');
    expect(pickLocale('auto', ['de-DE'])).toBe('en');
    expect(pickLocale('auto', [])).toBe('en');
  });

  it('has every text in both languages', () => {
    expect(Object.keys(strings('ru')).sort()).toEqual(Object.keys(strings('en')).sort());
    expect(strings('ru').unread(3)).toContain('3');
  });
});

describe('widget colours', () => {
  it('puts readable text on the brand colour', () => {
    expect(onAccent('#0f766e')).toBe('#ffffff');
    expect(onAccent('#2563eb')).toBe('#ffffff');
    expect(onAccent('#facc15')).toBe('#111827');
    expect(onAccent('#ffffff')).toBe('#111827');
  });
});
