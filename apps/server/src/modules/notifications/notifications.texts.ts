import type { NotificationKind } from '@switchboard/shared';

export type Lang = 'ru' | 'en';

export const langOf = (locale: string | null | undefined): Lang => (locale?.toLowerCase().startsWith('en') ? 'en' : 'ru');

export interface TitleFacts {
  contact?: string | null;
  channel?: string | null;
  author?: string | null;
  minutes?: number;
  chatName?: string | null;
  score?: number;
}

const who = (f: TitleFacts, lang: Lang) => f.contact ?? (lang === 'ru' ? 'клиент' : 'a customer');

/** The notification's title in the person's language (push, e-mail subject, Telegram's first line, the bell). */
export function titleOf(kind: NotificationKind, f: TitleFacts, lang: Lang): string {
  const ru = lang === 'ru';
  switch (kind) {
    case 'new_conversation':
      return ru ? `Новый диалог: ${who(f, lang)} (${f.channel ?? ''})` : `New conversation: ${who(f, lang)} (${f.channel ?? ''})`;
    case 'assigned':
      return ru ? `Вам назначен диалог с ${who(f, lang)}` : `You were assigned the conversation with ${who(f, lang)}`;
    case 'mention':
      return ru
        ? `${f.author ?? 'Коллега'} упомянул(а) вас в диалоге с ${who(f, lang)}`
        : `${f.author ?? 'A colleague'} mentioned you (${who(f, lang)})`;
    case 'customer_replied':
      return ru ? `${who(f, lang)} ответил(а) в вашем диалоге` : `${who(f, lang)} replied in your conversation`;
    case 'handed_over':
      return ru ? `Бот передал диалог с ${who(f, lang)}` : `The bot handed over the conversation with ${who(f, lang)}`;
    case 'waiting':
      return ru ? `${who(f, lang)} ждёт ответа ${f.minutes ?? 0} мин` : `${who(f, lang)} has waited ${f.minutes ?? 0} min for an answer`;
    case 'waiting_escalated':
      return ru
        ? `Без ответа уже ${hours(f.minutes ?? 0, lang)}: ${who(f, lang)}`
        : `Unanswered for ${hours(f.minutes ?? 0, lang)}: ${who(f, lang)}`;
    case 'low_csat':
      return ru ? `Низкая оценка (${f.score ?? '?'}/5) от ${who(f, lang)}` : `Low rating (${f.score ?? '?'}/5) from ${who(f, lang)}`;
    case 'chat_mention':
      return ru
        ? `${f.author ?? 'Коллега'} упомянул(а) вас в #${f.chatName ?? 'чате'}`
        : `${f.author ?? 'A colleague'} mentioned you in #${f.chatName ?? 'chat'}`;
    case 'chat_direct':
      return ru ? `Личное сообщение от ${f.author ?? 'коллеги'}` : `Direct message from ${f.author ?? 'a colleague'}`;
  }
}

function hours(minutes: number, lang: Lang): string {
  if (minutes < 120) return lang === 'ru' ? `${minutes} мин` : `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return lang === 'ru' ? `${h} ч` : `${h} h`;
}

export const testTexts = {
  ru: { title: 'Проверка уведомлений', body: 'Так будут выглядеть уведомления Switchboard.' },
  en: { title: 'Test notification', body: 'This is how Switchboard notifications look.' },
} as const;

export const skipReasons = {
  noBrowser: 'No browser is subscribed to push notifications',
  subscriptionsGone: 'Every browser subscription has expired (subscribe again)',
  noMailServer: 'No mail server is configured (SMTP_URL)',
  noTelegram: 'Telegram is not linked (Telegram page)',
  readDuringQuiet: 'Read in the app before quiet hours ended',
} as const;
