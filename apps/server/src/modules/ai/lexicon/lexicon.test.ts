import { describe, expect, it } from 'vitest';
import { stem, words } from '../text/text.tokenise.js';
import { CONCEPT_PREFIX, type Lexicon, lexiconFor, parseSynonymLines, supportLexicon, SUPPORT_LEXICON } from './lexicon.js';

const conceptsOf = (lexicon: Lexicon, text: string) => lexicon.concepts(lexicon.spelled(words(text)).map(stem));

describe('support lexicon', () => {
  it('puts words that ask about the same thing into one concept, across word forms', () => {
    const lex = supportLexicon();
    const delivery = conceptsOf(lex, 'доставка');
    expect(delivery).toHaveLength(1);
    expect(delivery[0]!.startsWith(CONCEPT_PREFIX)).toBe(true);
    expect(conceptsOf(lex, 'а вы привезете?')).toEqual(delivery);
    expect(conceptsOf(lex, 'довезти до дома')).toEqual(delivery);
    expect(conceptsOf(lex, 'do you deliver')).toEqual(delivery);
    const refund = conceptsOf(lex, 'как сдать обратно');
    expect(refund).toEqual(conceptsOf(lex, 'возврат'));
    expect(refund).not.toEqual(delivery);
  });

  it('matches a phrase only with its words in order', () => {
    const lex = supportLexicon();
    const address = conceptsOf(lex, 'адрес');
    expect(conceptsOf(lex, 'где вы находитесь')).toEqual(expect.arrayContaining(address));
    expect(conceptsOf(lex, 'как добраться')).toEqual(expect.arrayContaining(address));
    expect(conceptsOf(lex, 'добраться как')).not.toEqual(expect.arrayContaining(address));
  });

  it('maps colloquial spellings to the standard word and knows fillers', () => {
    const lex = supportLexicon();
    expect(lex.spelled(['скока', 'стоит', 'инет'])).toEqual(['сколько', 'стоит', 'интернет']);
    expect(lex.spelled(['whats', 'ur', 'price'])).toEqual(['what', 'is', 'your', 'price']);
    expect(lex.isFiller('здравствуйте')).toBe(true);
    expect(lex.isFiller('подскажите')).toBe(true);
    expect(lex.isFiller('доставка')).toBe(false);
  });

  it('is data: the shipped file has groups of at least two entries and no empty words', () => {
    expect(SUPPORT_LEXICON.groups.length).toBeGreaterThan(20);
    for (const g of SUPPORT_LEXICON.groups) {
      expect(g.length).toBeGreaterThanOrEqual(2);
      for (const w of g) expect(words(w).length).toBeGreaterThan(0);
    }
  });

  it("takes an account's own synonym lines; lines of one word or nothing are ignored", () => {
    expect(parseSynonymLines(['диван, софа; кушетка', 'одно', '', ' , '])).toEqual([['диван', 'софа', 'кушетка']]);
    const own = lexiconFor(['шоурум, салон, выставочный зал']);
    expect(conceptsOf(own, 'салон').length).toBe(1);
    expect(conceptsOf(own, 'выставочный зал')).toEqual(conceptsOf(own, 'шоурум'));
    expect(conceptsOf(supportLexicon(), 'салон')).toEqual([]);
    expect(lexiconFor([])).toBe(supportLexicon());
  });
});
