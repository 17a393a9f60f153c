const en = {
  title: 'Chat with us',
  subtitle: 'We usually reply within a few minutes',
  greeting: 'Hi! How can we help you?',
  open: 'Open chat',
  close: 'Close chat',
  messages: 'Messages',
  message: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  bot: 'Assistant',
  operator: 'Support',
  sending: 'Sending…',
  failed: 'Not sent.',
  retry: 'Retry',
  prechatIntro: 'Introduce yourself, so we know how to reach you.',
  name: 'Your name',
  email: 'E-mail',
  start: 'Start chat',
  reconnecting: 'Reconnecting…',
  unread: (n: number) => (n === 1 ? '1 new message' : `${n} new messages`),
  tooMany: 'You are sending messages too fast; please wait a moment.',
  powered: 'Powered by Switchboard',
};

export type Strings = typeof en;

const ru: Strings = {
  title: 'Напишите нам',
  subtitle: 'Обычно отвечаем за несколько минут',
  greeting: 'Здравствуйте! Чем можем помочь?',
  open: 'Открыть чат',
  close: 'Закрыть чат',
  messages: 'Сообщения',
  message: 'Сообщение',
  placeholder: 'Напишите сообщение…',
  send: 'Отправить',
  bot: 'Ассистент',
  operator: 'Поддержка',
  sending: 'Отправляется…',
  failed: 'Не отправлено.',
  retry: 'Повторить',
  prechatIntro: 'Представьтесь, чтобы мы знали, как с вами связаться.',
  name: 'Ваше имя',
  email: 'E-mail',
  start: 'Начать чат',
  reconnecting: 'Переподключаемся…',
  unread: (n: number) => `Новых сообщений: ${n}`,
  tooMany: 'Вы отправляете сообщения слишком часто; подождите немного.',
  powered: 'Работает на Switchboard',
};

/** The channel's language, or the visitor's browser language when the channel says `auto`. */
export function pickLocale(setting: 'ru' | 'en' | 'auto', languages: readonly string[]): 'ru' | 'en' {
  if (setting !== 'auto') return setting;
  return /^ru\b/i.test(languages[0] ?? '') ? 'ru' : 'en';
}

export function strings(locale: 'ru' | 'en'): Strings {
  return locale === 'ru' ? ru : en;
}
