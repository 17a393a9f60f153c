import { describe, expect, it } from 'vitest';
import { normalise } from './text.normalise.js';

describe('normalise', () => {
  it('folds ё to е in both cases', () => {
    expect(normalise('Ёлка и ёжик')).toBe('елка и ежик');
  });

  it('strips accents, including the stress marks of Russian teaching texts', () => {
    expect(normalise('Café Déjà Vu')).toBe('cafe deja vu');
    expect(normalise('моло́ко')).toBe('молоко');
  });

  it('keeps й a letter of its own', () => {
    expect(normalise('Мой ЙОГУРТ')).toBe('мой йогурт');
    expect(normalise('Мой')).not.toBe(normalise('Мои'));
  });

  it('unifies quotes and dashes and folds compatibility forms', () => {
    expect(normalise('«Тариф» — “Pro” – ‘x’')).toBe('"тариф" - "pro" - \'x\'');
    expect(normalise('ﬁle ＡＢＣ')).toBe('file abc');
  });

  it('removes soft hyphens, zero-width spaces and the BOM', () => {
    expect(normalise('\ufeffдо\u00adставка ре\u200bфанд')).toBe('доставка рефанд');
  });
});
