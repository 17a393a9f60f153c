import { describe, expect, it } from 'vitest';
import { TypoNeighbourhood, withinOneEdit } from './text.typos.js';

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
