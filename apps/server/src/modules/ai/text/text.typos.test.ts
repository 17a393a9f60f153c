import { describe, expect, it } from 'vitest';
import { TYPO_MAX_LENGTH, TypoNeighbourhood, withinOneEdit } from './text.typos.js';

function neighbourhood(vocabulary: string[]) {
  const typos = new TypoNeighbourhood();
  vocabulary.forEach((t) => typos.add(t));
  const known = (t: string) => vocabulary.includes(t);
  return { typos, near: (t: string) => typos.near(t, known).sort() };
}

describe('withinOneEdit', () => {
  it('accepts one substitution, insertion, deletion or swap of neighbours', () => {
    expect(withinOneEdit('достафк', 'доставк')).toBe(true);
    expect(withinOneEdit('доствк', 'доставк')).toBe(true);
    expect(withinOneEdit('досттавк', 'доставк')).toBe(true);
    expect(withinOneEdit('дсотавк', 'доставк')).toBe(true);
  });

  it('rejects two edits', () => {
    expect(withinOneEdit('дастафк', 'доставк')).toBe(false);
    expect(withinOneEdit('доставкаа', 'доставк')).toBe(false);
    expect(withinOneEdit('дтсоавк', 'доставк')).toBe(false);
  });
});

describe('TypoNeighbourhood', () => {
  const { near } = neighbourhood(['доставк', 'оплат', 'возврат', 'refund', 'ship']);

  it('finds the vocabulary term one typo away', () => {
    expect(near('достафк')).toEqual(['доставк']); // wrong letter
    expect(near('дастафк')).toEqual([]); // two edits away
    expect(near('дотавк')).toEqual(['доставк']); // missing letter
    expect(near('возвраат')).toEqual(['возврат']); // extra letter
    expect(near('refnud')).toEqual(['refund']); // swap
    expect(near('оплатт')).toEqual(['оплат']); // the query's deletion is itself a term
  });

  it('does not correct short terms or terms with digits', () => {
    expect(near('shop')).toEqual([]);
    expect(neighbourhood(['12345', 'a1234']).near('12346')).toEqual([]);
  });

  it('forgets deleted terms and keeps the others filed under the same variant', () => {
    const { typos } = neighbourhood(['заказы', 'заказа']);
    const none = () => false;
    expect(typos.near('заказо', none).sort()).toEqual(['заказа', 'заказы']);
    typos.delete('заказы');
    expect(typos.near('заказо', none)).toEqual(['заказа']);
  });
});

describe('TypoNeighbourhood: hostile terms', () => {
  // One 100,000-letter "word": every deletion variant is itself 100 KB, so expanding it costs |term|² work.
  const huge = 'доставка'.repeat(12_500);

  it('does not expand a term longer than TYPO_MAX_LENGTH: no lookups, no neighbours', () => {
    const { typos } = neighbourhood(['доставк', 'оплат']);
    let lookups = 0;
    const known = () => {
      lookups++;
      return false;
    };
    expect(typos.near(huge, known)).toEqual([]);
    expect(typos.near(huge.slice(0, TYPO_MAX_LENGTH + 1), known)).toEqual([]);
    expect(lookups).toBe(0);
  });

  it('files no variants for a vocabulary term longer than TYPO_MAX_LENGTH', () => {
    const typos = new TypoNeighbourhood();
    typos.add(huge);
    typos.add('x'.repeat(TYPO_MAX_LENGTH + 1));
    expect(typos.size).toBe(0);
    typos.add('доставка');
    expect(typos.size).toBe('доставка'.length);
  });

  it('still corrects a term of exactly TYPO_MAX_LENGTH letters', () => {
    const long = 'a'.repeat(TYPO_MAX_LENGTH - 1) + 'b';
    const { near } = neighbourhood([long]);
    expect(near('a'.repeat(TYPO_MAX_LENGTH - 1) + 'c')).toEqual([long]);
  });
});
