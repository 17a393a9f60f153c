import { analyse } from '../ai/text/text.tokenise.js';
import { normalise } from '../ai/text/text.normalise.js';

/**
 * Phrases that ask for a person, beyond the account's own keyword list. Matched on stems, so
 * "оператора", "операторы", "humans" all count. Short, unambiguous words only: "помощь" is not here
 * because "нужна помощь с доставкой" is a question for the bot.
 */
export const BUILT_IN_HANDOVER_PHRASES: readonly string[] = [
  'оператор',
  'человек',
  'менеджер',
  'сотрудник',
  'консультант',
  'позовите',
  'соедините',
  'живой',
  'специалист',
  'operator',
  'human',
  'person',
  'agent',
  'representative',
  'manager',
  'someone real',
  'real person',
];

/** Words that show anger or abuse (stems); a single one is enough to stop the bot. */
const ANGRY_WORDS = [
  'идиот',
  'дебил',
  'тупой',
  'бесит',
  'бесят',
  'достали',
  'задолбали',
  'ужасный',
  'отвратительный',
  'безобразие',
  'позор',
  'мошенники',
  'обманщики',
  'развод',
  'жалоба',
  'претензия',
  'суд',
  'верните деньги',
  'idiot',
  'stupid',
  'useless',
  'terrible',
  'awful',
  'disgusting',
  'scam',
  'fraud',
  'furious',
  'ridiculous',
  'worst',
  'complaint',
  'sue',
  'lawyer',
  'wtf',
];
const PROFANITY = /(^|[^а-яё])(х[уy][йяеёи]|п[иi]зд|[её]б[аеиуо]|бля|сук[аи])|\b(fuck|shit|bitch|asshole|bastard)/iu;

type Matcher = (terms: string[]) => boolean;

/** Builds a matcher for phrases: every stemmed word of a phrase must occur in the text, in order. */
function phraseMatcher(phrases: string[]): Matcher {
  const stemmed = phrases.map((p) => analyse(p, { keepStopWords: true })).filter((p) => p.length > 0);
  return (terms) =>
    stemmed.some((phrase) => {
      let from = 0;
      for (const word of phrase) {
        const at = terms.indexOf(word, from);
        if (at < 0) return false;
        from = at + 1;
      }
      return true;
    });
}

const builtInHuman = phraseMatcher([...BUILT_IN_HANDOVER_PHRASES]);
const angryMatcher = phraseMatcher(ANGRY_WORDS);
const customMatchers = new Map<string, Matcher>();

/** Whether the customer asks for a person: built-in phrases plus the account's keyword list. */
export function asksForHuman(text: string, keywords: string[]): boolean {
  const terms = analyse(text, { keepStopWords: true });
  if (builtInHuman(terms)) return true;
  if (keywords.length === 0) return false;
  const key = keywords.join('\u0000');
  let custom = customMatchers.get(key);
  if (!custom) {
    if (customMatchers.size > 500) customMatchers.clear();
    custom = phraseMatcher(keywords);
    customMatchers.set(key, custom);
  }
  return custom(terms);
}

/** Whether the customer is angry or abusive: swearing, angry words, or shouting. */
export function soundsAngry(text: string): boolean {
  if (PROFANITY.test(normalise(text))) return true;
  if (angryMatcher(analyse(text, { keepStopWords: true }))) return true;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  const shouting = letters.length >= 12 && upper / letters.length > 0.7;
  return shouting || /[!?]{3,}/.test(text);
}
