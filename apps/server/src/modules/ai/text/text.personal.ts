import { normalise } from './text.normalise.js';

/**
 * Messages an FAQ cannot settle, whatever they share with one: they are about this customer's own order,
 * contract, booking or payment (an identifier, an address, a phone number, "my booking", "I paid"), an
 * emergency (urgent, pain, bleeding), or a complaint. Such a message goes to a person even when a
 * passage matches it well ("where is my order 48213?" shares "order" and "delivery" with the delivery FAQ).
 * Generic support patterns of Russian and English, not any business's wording.
 */
/** A regular expression whose \b is a Unicode word boundary (JavaScript's \b knows only ASCII letters). */
function unicodeWords(source: string, flags: string): RegExp {
  const word = String.raw`[\p{L}\p{N}_]`;
  return new RegExp(
    source.replace(/\\w/g, word).replace(/\\b/g, String.raw`(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`),
    flags,
  );
}

export type PersonalMatter = 'own_case' | 'urgent' | 'complaint' | 'abuse';

/** Insults and attempts to instruct the bot: never answered from the FAQ. */
const ABUSE = unicodeWords(
  String.raw`\b(жулик\w*|рвач\w*|живодер\w*|шарлатан\w*|ворюг\w*|мошенник\w*|кидал\w*|бестолков\w*|scam\w*|crooks?|clowns?|thie(f|ves)|idiots?|morons?)\b|ignore (all |the )?(previous|prior|above) (instructions|prompts?)|забудь (все )?(предыдущие )?инструкции|ты (теперь|отныне)`,
  'iu',
);

/** Words that name an identifier when a number of 4+ digits stands next to them. */
const ID_WORDS = unicodeWords(
  String.raw`(заказ|договор|счет|сч[её]т|лицев|номер|квитанц|заявк|накладн|чек|абонент|zakaz|dogovor|schet|nomer|order|contract|account|invoice|booking|ticket|ref|reference|id)\S*\s*(?:№|#|n|no\.?|номер)?\s*[:.-]?\s*\d{4,}`,
  'iu',
);
const HASH_NUMBER = /(?:№|#)\s*\d{3,}/u;
/** A phone number: 10+ digits with the usual separators, optionally starting with + or 8. */
const PHONE = unicodeWords(String.raw`(?:\+\d|\b8)[\d\s()-]{9,}\d`, 'u');
/** A street address: a street word and a house number. */
const ADDRESS = unicodeWords(
  String.raw`\b(ул\.?|улица|проспект|переулок|шоссе|бульвар|street|avenue|road)\s+[\p{L}.-]+(\s+[\p{L}.-]+)?,?\s*\d+|\b(дом|д\.|кв\.?|квартира|участок|apt\.?|house)\s*№?\s*\d+`,
  'iu',
);
/** "my order / booking / appointment …", "моя запись", "мой заказ", "я записан(а)", "I paid / booked / ordered". */
const OWN_CASE = unicodeWords(
  String.raw`\b(мо[йяеюи]\w*|нашу?|наш[аеи]?)\s+(заказ|запис|брон|догов|заявк|оплат|плат[её]ж|доставк|урок|заняти|прием|визит)|\bя\s+(записан|записалась|записался|заказал|оплатил|внес|внесла|перевел|перевела)|\b(оплатил|оплатила|внесла|внес|заказала?|записалась|записался)\b.{0,60}(до сих пор|так и нет|но нет|а нет|не пришл|не получил)|\b(должен|должна|должны|обещали|обещал)\s+(был[аио]?\s+)?(приехать|привезти|прийти|позвонить|подключить|доставить)|\b(перенесите|отмените|подтвердите|верните|проверьте)\s+(мо|мне|нашу|наш|заказ|запис|доставк|оплат)|\b(where is|where's|move|cancel|change|check|confirm|reschedule|status of|what's|what is|send me|about)\s+(the\s+)?my\s+(\w+\s+)?(order|booking|appointment|lesson|class|payment|contract|invoice|result|refund|subscription|delivery)|\bmy\s+(\w+\s+)?(order|booking|appointment|lesson|payment|refund|delivery)\s+(is|was|has|hasn't|didn't|did not|still)|\bi\s+(paid|booked|ordered|registered|did the|asked for)\b`,
  'iu',
);
/** Emergencies and acute symptoms. */
const URGENT = unicodeWords(
  String.raw`\b(срочн\w*|немедленно|экстренн\w*|скорую|авари\w*|urgent\w*|emergency|asap|right now|прямо сейчас)\b|\b(болит|боль\s+сильн|сильная боль|кровь|кровит|кровотеч\w*|опух\w*|отек|температур\w*|выбил\w*|сломал\w*\s+зуб|bleeding|swollen|fever|toothache|severe pain)\b`,
  'iu',
);
/** Complaints: grievances about something that went wrong. */
const COMPLAINT = unicodeWords(
  String.raw`\b(жалоб\w*|претензи\w*|безобрази\w*|издевательств\w*|неуважени\w*|возмутительн\w*|позор\w*|обман\w*|ущерб\w*|возместит\w*|компенсац\w*|роскомнадзор|прокуратур\w*|роспотребнадзор|unacceptable|disappointed|outrageous|complain\w*|compensat\w*|not what i paid)\b|(третий|второй|пятый|десятый|который)\s+раз|(\d|два|три|несколько)\s+раз[аи]?\s+за\s+(неделю|месяц|день)|до сих пор (нет|не|ничего)|still (nothing|not|no)|(привезли|прислали|доставили|выдали|положили)\s+(\p{L}+\s+)?не\s+(то|тот|того|ту|та|те)\b|не умеете|не умеют|никто не отвечает|не берут трубку|nobody answers|wrong (item|size|colou?r)|(\btwice|three times|again)\b.{0,30}\b(late|wrong|missed|broken)`,
  'iu',
);

export function personalMatter(text: string): PersonalMatter | null {
  const t = normalise(text);
  if (ABUSE.test(t)) return 'abuse';
  if (URGENT.test(t)) return 'urgent';
  if (COMPLAINT.test(t)) return 'complaint';
  if (ID_WORDS.test(t) || HASH_NUMBER.test(t) || PHONE.test(t) || ADDRESS.test(t) || OWN_CASE.test(t)) return 'own_case';
  return null;
}
