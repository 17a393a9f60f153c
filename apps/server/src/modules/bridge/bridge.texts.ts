/** What the operator bot says, in Russian and English (the user's locale; Russian by default). */
export type Lang = 'ru' | 'en';

export function languageOf(locale: string | null | undefined): Lang {
  if (!locale) return 'ru';
  return locale.toLowerCase().startsWith('en') ? 'en' : 'ru';
}

const TEXTS = {
  ru: {
    newConversation: '🆕 Новый диалог',
    handedOver: '🔔 Бот передал диалог людям',
    customer: 'Клиент',
    bot: 'Бот',
    operator: 'Оператор',
    replyHint: '↩️ Ответьте на это сообщение, чтобы написать клиенту. /take — взять себе, /resolve — закрыть, /history — история.',
    linked: (name: string, email: string, account: string) =>
      `✅ Telegram связан: вы — ${name} (${email}), «${account}». Сюда будут приходить диалоги; отвечайте на них ответом (reply).`,
    tokenExpired: '⌛ Ссылка устарела (она действует 15 минут). Получите новую в Switchboard: раздел «Telegram» → «Связать».',
    tokenUsed: '⚠️ Эта ссылка уже использована. Получите новую в Switchboard: раздел «Telegram» → «Связать».',
    tokenUnknown: '⚠️ Ссылка не подходит к этому боту. Получите новую в Switchboard: раздел «Telegram» → «Связать».',
    startWithoutToken:
      '👋 Это бот операторов Switchboard. Чтобы связать Telegram, откройте в Switchboard раздел «Telegram» и нажмите «Связать».',
    linkFirst: '🔒 Сначала свяжите Telegram со Switchboard: раздел «Telegram» → «Связать». Ничего не отправлено.',
    replyToPost: '↩️ Ответьте (reply) на сообщение о диалоге, чтобы написать клиенту или выполнить команду.',
    textOnly: '📎 Пока из Telegram можно отправлять клиенту только текст. Ничего не отправлено.',
    taken: '✋ Диалог ваш.',
    takenBy: (name: string) => `⛔ Диалог уже взял(а) ${name}. Ничего не отправлено.`,
    resolved: '✅ Диалог закрыт.',
    history: 'История (последние сообщения):',
    historyEmpty: 'В диалоге пока нет сообщений.',
    notFound: '⚠️ Диалог не найден.',
    failed: (reason: string) => `⚠️ Не получилось: ${reason}`,
    deliveryFailed: (reason: string) => `⚠️ Сообщение не доставлено клиенту: ${reason}`,
    deliveryUncertain:
      '❔ Неизвестно, дошло ли сообщение до клиента: отправка прервалась, когда оно уже могло уйти. Проверьте чат, прежде чем отправлять его ещё раз.',
    help: [
      'Бот операторов Switchboard.',
      '• Ответьте (reply) на сообщение о диалоге — ответ уйдёт клиенту в его канал.',
      '• /take — взять диалог себе, /resolve — закрыть, /history — последние сообщения (ответом на сообщение о диалоге или внутри темы).',
      '• Связать Telegram: раздел «Telegram» в Switchboard.',
    ].join('\n'),
  },
  en: {
    newConversation: '🆕 New conversation',
    handedOver: '🔔 Handed over by the assistant',
    customer: 'Customer',
    bot: 'Bot',
    operator: 'Operator',
    replyHint: '↩️ Reply to this message to answer the customer. /take — take it, /resolve — resolve, /history — history.',
    linked: (name: string, email: string, account: string) =>
      `✅ Telegram linked: you are ${name} (${email}), "${account}". Conversations will arrive here; answer them with a reply.`,
    tokenExpired: '⌛ This link has expired (links last 15 minutes). Get a new one in Switchboard: Telegram → Link.',
    tokenUsed: '⚠️ This link was already used. Get a new one in Switchboard: Telegram → Link.',
    tokenUnknown: '⚠️ This link is not valid for this bot. Get a new one in Switchboard: Telegram → Link.',
    startWithoutToken: '👋 This is the Switchboard operator bot. To link your Telegram, open Telegram in Switchboard and press Link.',
    linkFirst: '🔒 Link your Telegram to Switchboard first: Telegram → Link. Nothing was sent.',
    replyToPost: '↩️ Reply to a conversation post to answer the customer or run a command.',
    textOnly: '📎 Only text can be sent to customers from Telegram for now. Nothing was sent.',
    taken: '✋ The conversation is yours.',
    takenBy: (name: string) => `⛔ ${name} has taken this conversation. Nothing was sent.`,
    resolved: '✅ Conversation resolved.',
    history: 'History (latest messages):',
    historyEmpty: 'No messages in this conversation yet.',
    notFound: '⚠️ Conversation not found.',
    failed: (reason: string) => `⚠️ That did not work: ${reason}`,
    deliveryFailed: (reason: string) => `⚠️ Your message was not delivered to the customer: ${reason}`,
    deliveryUncertain:
      '❔ Your message may or may not have reached the customer: sending was interrupted after it may have gone out. Check the chat before sending it again.',
    help: [
      'Switchboard operator bot.',
      '• Reply to a conversation post — your answer goes to the customer on their channel.',
      '• /take — take the conversation, /resolve — resolve it, /history — latest messages (as a reply to a post, or inside its topic).',
      '• Link your Telegram: Telegram in Switchboard.',
    ].join('\n'),
  },
} as const;

export type Texts = (typeof TEXTS)[Lang];

export function texts(lang: Lang): Texts {
  return TEXTS[lang];
}
