import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/platform/crypto/secret-box.js';
import { ingestInbound } from '../src/modules/conversations/conversations.inbound.js';
import { signTelegramLogin } from '../src/modules/bridge/bridge.login.js';
import type { ApiClient } from './support/api-client.js';
import { transaction } from '../src/platform/db/transaction.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let db: pg.Client;
/** The customer channel (a shop's Telegram bot) and the account's operator bot. */
let shopBot: string;
let shopChannelId: string;
let opBot: string;
let ownerId: string;
const OWNER_TG = 700100;
let nextCustomer = 880000;

beforeAll(async () => {
  t = await startTestApp();
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  ownerId = (await t.owner.get('/api/auth/session')).body.user.id;
  shopBot = t.telegram.addBot('shop_customers_bot');
  const shop = await t.owner.post('/api/channels', { type: 'telegram', name: 'Shop bot', config: { botToken: shopBot, mode: 'webhook' } });
  expect(shop.status).toBe(201);
  shopChannelId = shop.body.id;
  opBot = t.telegram.addBot('shop_operators_bot');
  const op = await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Operators',
    config: { botToken: opBot, mode: 'webhook', purpose: 'operators' },
  });
  expect(op.status).toBe(201);
  await linkViaStart(t, t.owner, opBot, OWNER_TG);
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

/** Messages the operator bot `token` sent to one chat. */
const botSent = (token: string, chatId: number | string) => t.telegram.sent.filter((s) => s.token === token && s.chatId === String(chatId));

/** Sends `/start <token>` from a Telegram user and waits for the bot's answer. */
async function startWith(app: TestApp, token: string, botToken: string, tgUser: number, languageCode = 'en') {
  const before = botSent(botToken, tgUser).length;
  expect(
    await app.telegram.deliver(botToken, app.telegram.textUpdate(botToken, { chatId: tgUser, text: `/start ${token}`, languageCode })),
  ).toBe(200);
  return eventually(() => botSent(botToken, tgUser)[before], 15_000, `the answer to /start from ${tgUser}`);
}

async function linkViaStart(app: TestApp, client: ApiClient, botToken: string, tgUser: number) {
  const res = await client.post('/api/bridge/link-token');
  expect(res.status).toBe(201);
  const answer = await startWith(app, res.body.token, botToken, tgUser);
  expect(answer.text).toMatch(/✅/);
  return answer;
}

async function customerSays(text: string, firstName: string, chatId = nextCustomer++) {
  expect(await t.telegram.deliver(shopBot, t.telegram.textUpdate(shopBot, { chatId, text, firstName }))).toBe(200);
  const conv = await eventually(async () => {
    const list = await t.owner.get('/api/conversations?status=all&limit=200');
    return list.body.items.find((c: { contact: { externalId: string } }) => c.contact.externalId === String(chatId));
  });
  return { chatId, conversationId: conv.id as string };
}

/** Waits for the operator bot to post a message to `chatId` that contains `needle`. */
const postWith = (chatId: number | string, needle: string, token = opBot) =>
  eventually(() => botSent(token, chatId).find((s) => s.text.includes(needle)), 20_000, `a post with "${needle}" to ${chatId}`);

/**
 * A post is recorded just after Telegram accepted it: a person cannot answer faster than that, but a
 * test can, so it waits for the record first.
 */
const recorded = (messageId: number) =>
  eventually(
    async () => (await db.query('select 1 from bridge_posts where telegram_message_id = $1', [messageId])).rowCount,
    15_000,
    `post ${messageId} recorded`,
  );

/** The operator answers a post (a Telegram reply). */
async function operatorReplies(tgUser: number, replyTo: number, text: string, token = opBot) {
  await recorded(replyTo);
  expect(await t.telegram.deliver(token, t.telegram.textUpdate(token, { chatId: tgUser, text, replyTo }))).toBe(200);
}

const messagesOf = async (conversationId: string, client = t.owner) =>
  (await client.get(`/api/conversations/${conversationId}/messages?limit=100`)).body.items as {
    id: string;
    text: string;
    authorType: string;
    authorUserId: string | null;
    direction: string;
  }[];

describe('linking', () => {
  it('links the signed-in user through /start <token> and shows the link', async () => {
    const answer = botSent(opBot, OWNER_TG)[0]!;
    expect(answer.text).toContain('owner@example.com');
    const overview = (await t.owner.get('/api/bridge')).body;
    expect(overview.bot.botUsername).toBe('shop_operators_bot');
    expect(overview.link).toMatchObject({ userId: ownerId, telegramUserId: String(OWNER_TG), scope: 'all' });
    expect(overview.links).toHaveLength(1);
  });

  it('gives a deep link to the bot with a one-time token; an expired or reused token links nobody', async () => {
    const res = await t.owner.post('/api/bridge/link-token');
    expect(res.body.deepLink).toBe(`https://t.me/shop_operators_bot?start=${res.body.token}`);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{20,64}$/);
    await db.query(`update operator_link_tokens set expires_at = now() - interval '1 minute' where token_hash = $1`, [
      sha256(res.body.token),
    ]);
    expect((await startWith(t, res.body.token, opBot, 700901)).text).toMatch(/expired/);

    const fresh = (await t.owner.post('/api/bridge/link-token')).body.token as string;
    expect((await startWith(t, fresh, opBot, 700902)).text).toMatch(/✅/);
    expect((await startWith(t, fresh, opBot, 700903)).text).toMatch(/already used/);
    expect((await startWith(t, 'not-a-token-of-ours-at-all', opBot, 700904)).text).toMatch(/not valid/);
    const { rows } = await db.query('select telegram_user_id from operator_links where user_id = $1', [ownerId]);
    expect(rows.map((r) => r.telegram_user_id)).toEqual(['700902']);
    // Back to the owner's usual Telegram account for the rest of the file.
    await linkViaStart(t, t.owner, opBot, OWNER_TG);
  });

  it('verifies the Telegram Login Widget hash with the bot token and rejects tampered or stale data', async () => {
    const member = await addMember('login@example.com', 'agent');
    const now = Math.floor(Date.now() / 1000);
    const signed = signTelegramLogin({ id: 700201, first_name: 'Lena', username: 'lena_ops', auth_date: now - 30 }, opBot);
    const tampered = await member.post('/api/bridge/telegram-login', { ...signed, id: 700202 });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('invalid_telegram_login');
    const stale = await member.post(
      '/api/bridge/telegram-login',
      signTelegramLogin({ id: 700201, first_name: 'Lena', auth_date: now - 90_000 }, opBot),
    );
    expect(stale.status).toBe(422);
    expect(stale.body.error.code).toBe('telegram_login_expired');
    expect((await member.get('/api/bridge')).body.link).toBeNull();

    const ok = await member.post('/api/bridge/telegram-login', signed);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ telegramUserId: '700201', telegramUsername: 'lena_ops', role: 'agent', scope: 'queue' });
    // Others see only their own link; managers see all and may unlink anyone.
    expect((await member.get('/api/bridge/links')).body.items).toHaveLength(1);
    expect((await member.get('/api/bridge')).body.links).toBeNull();
    expect((await t.owner.delete(`/api/bridge/links/${ok.body.id}`)).status).toBe(204);
    expect((await member.get('/api/bridge')).body.link).toBeNull();
  });
});

let memberCount = 0;
async function addMember(email: string, role: 'agent' | 'supervisor' | 'admin') {
  const res = await t.owner.post('/api/users', { email, name: `Member ${++memberCount}`, password: 'member-password-123', role });
  expect(res.status).toBe(201);
  const client = t.anonymous();
  expect((await client.login(email, 'member-password-123')).status).toBe(200);
  return client;
}

describe('posting and replying', () => {
  it('posts a customer message with its context to the linked owner; a Telegram reply reaches the customer as the operator', async () => {
    const channel = (await t.running.ctx.channels.load((await t.owner.get('/api/auth/session')).body.user.accountId, shopChannelId))!;
    // A listing conversation, as an Avito chat brings it (the bridge treats every channel alike).
    await ingestInbound(t.running.ctx, channel.record, {
      externalId: 'listing-msg-1',
      chatId: '880777',
      contact: { externalId: '880777', name: 'Пётр Листингов', username: null },
      text: 'Ещё продаёте?',
      attachments: [],
      sentAt: new Date(),
      edited: false,
      context: {
        kind: 'listing',
        title: 'iPhone 13, 128 ГБ',
        price: '45 000 ₽',
        url: 'https://www.avito.ru/moskva/telefony/iphone_13_1234',
      },
    });
    const intro = await postWith(OWNER_TG, 'Пётр Листингов');
    expect(intro.text).toContain('iPhone 13, 128 ГБ — 45 000 ₽');
    expect(intro.text).toContain('https://www.avito.ru/moskva/telefony/iphone_13_1234');
    expect(intro.text).toContain('Ещё продаёте?');
    expect(intro.text).toContain('Telegram · Shop bot');

    const conv = (await t.owner.get('/api/conversations?status=all&limit=200')).body.items.find(
      (c: { contact: { externalId: string } }) => c.contact.externalId === '880777',
    );
    await operatorReplies(OWNER_TG, intro.messageId, 'Да, в наличии. Забронировать?');
    const sent = await eventually(
      () => t.telegram.sent.find((s) => s.token === shopBot && s.chatId === '880777'),
      15_000,
      'the reply on the shop bot',
    );
    expect(sent.text).toBe('Да, в наличии. Забронировать?');
    const out = (await messagesOf(conv.id)).find((m) => m.direction === 'out')!;
    expect(out).toMatchObject({ authorType: 'operator', authorUserId: ownerId, text: 'Да, в наличии. Забронировать?' });
  });

  it('posts later customer messages as replies to the first post', async () => {
    const { chatId } = await customerSays('Добрый день, есть доставка?', 'Инна');
    const intro = await postWith(OWNER_TG, 'Добрый день, есть доставка?');
    await customerSays('И самовывоз тоже?', 'Инна', chatId);
    const next = await postWith(OWNER_TG, 'И самовывоз тоже?');
    expect(next.text).toBe('👤 Инна: И самовывоз тоже?');
    expect(next.replyTo).toBe(intro.messageId);
    expect(botSent(opBot, OWNER_TG).filter((s) => s.text.includes('Добрый день, есть доставка?'))).toHaveLength(1);
  });

  it('/take assigns, /history lists, /resolve resolves', async () => {
    const { conversationId } = await customerSays('Нужна консультация по размеру', 'Ольга');
    const intro = await postWith(OWNER_TG, 'Нужна консультация по размеру');
    await operatorReplies(OWNER_TG, intro.messageId, '/take');
    await eventually(
      async () => (await t.owner.get(`/api/conversations/${conversationId}`)).body.assigneeId === ownerId,
      15_000,
      'assigned',
    );
    await postWith(OWNER_TG, 'Диалог ваш');

    await operatorReplies(OWNER_TG, intro.messageId, '/history');
    const history = await postWith(OWNER_TG, 'История');
    expect(history.text).toContain('Клиент: Нужна консультация по размеру');

    await operatorReplies(OWNER_TG, intro.messageId, '/resolve');
    await eventually(
      async () => (await t.owner.get(`/api/conversations/${conversationId}`)).body.status === 'resolved',
      15_000,
      'resolved',
    );
  });

  it('a replayed operator update sends the reply once', async () => {
    const { chatId, conversationId } = await customerSays('Сколько идёт посылка?', 'Глеб');
    const intro = await postWith(OWNER_TG, 'Сколько идёт посылка?');
    await recorded(intro.messageId);
    const update = t.telegram.textUpdate(opBot, { chatId: OWNER_TG, text: 'Два-три дня.', replyTo: intro.messageId });
    expect(await t.telegram.deliver(opBot, update)).toBe(200);
    expect(await t.telegram.deliver(opBot, update)).toBe(200);
    await eventually(() => t.telegram.sent.find((s) => s.token === shopBot && s.chatId === String(chatId)), 15_000, 'the reply');
    expect((await messagesOf(conversationId)).filter((m) => m.direction === 'out')).toHaveLength(1);
  });

  it('tells the operator when the customer could not be reached', async () => {
    const { chatId } = await customerSays('Вы тут?', 'Пропавший');
    const intro = await postWith(OWNER_TG, 'Вы тут?');
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: shopBot });
    await operatorReplies(OWNER_TG, intro.messageId, 'Да, слушаю вас');
    const notice = await postWith(OWNER_TG, 'не доставлено клиенту');
    expect(notice.text).toContain('bot was blocked by the user');
    expect(t.telegram.sent.some((s) => s.token === shopBot && s.chatId === String(chatId))).toBe(false);
  });
  it('tells the operator when a reply may or may not have reached the customer, so it is not sent twice unawares', async () => {
    const { chatId, conversationId } = await customerSays('Успеете до пятницы?', 'Неуверенный');
    const intro = await postWith(OWNER_TG, 'Успеете до пятницы?');
    await operatorReplies(OWNER_TG, intro.messageId, 'Да, успеем');
    await eventually(() => t.telegram.sent.find((s) => s.token === shopBot && s.chatId === String(chatId)), 15_000, 'the reply');
    const reply = (await messagesOf(conversationId)).find((m) => m.direction === 'out')!;
    await eventually(async () => (await db.query(`select 1 from messages where id = $1 and status = 'sent'`, [reply.id])).rowCount);
    // The send reached Telegram, then the process died before recording it; the job runs again.
    await db.query(`update messages set status = 'sending', external_id = null, sent_at = null where id = $1`, [reply.id]);
    const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
    await transaction(t.running.ctx.pool, (tx) => t.running.ctx.queue.send(tx, 'message.send', { accountId, messageId: reply.id }));
    const notice = await postWith(OWNER_TG, 'Неизвестно, дошло ли сообщение');
    expect(notice.text).not.toContain('не доставлено');
    expect(t.telegram.sent.filter((s) => s.token === shopBot && s.chatId === String(chatId))).toHaveLength(1);
  });

  it('an operator chat that blocked the bot costs one attempt: the post is dropped, the error shown on the bot', async () => {
    const { rows: bots } = await db.query<{ id: string }>(
      `select id from channels where name = 'Operators' and config->>'purpose' = 'operators'`,
    );
    const opChannelId = bots[0]!.id;
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: opBot });
    const { conversationId } = await customerSays('Алло, кто-нибудь?', 'Блок');
    const jobs = () =>
      db.query<{ state: string; retry_count: number }>(
        `select state, retry_count from pgboss.job where name = 'bridge.post' and data->>'conversationId' = $1`,
        [conversationId],
      );
    await eventually(
      async () => {
        const { rows } = await jobs();
        return rows.length > 0 && rows.every((r) => r.state === 'completed');
      },
      20_000,
      'the bridge posts settled',
    );
    const { rows } = await jobs();
    expect(rows.every((r) => r.retry_count === 0)).toBe(true);
    // one recipient's post was refused and not retried; any other linked chat got its own
    const posted = t.telegram.sent.filter((s) => s.token === opBot && s.text.includes('Алло, кто-нибудь?'));
    expect(posted).toHaveLength(rows.length - 1);
    const shown = (await t.owner.get(`/api/channels/${opChannelId}`)).body;
    expect(shown.lastError).toContain('bot was blocked by the user');
  });
});

describe('who receives what', () => {
  it('operators get the queue and their own conversations; once assigned, others stop receiving it', async () => {
    const opA = await addMember('op-a@example.com', 'agent');
    const opB = await addMember('op-b@example.com', 'agent');
    await linkViaStart(t, opA, opBot, 700301);
    await linkViaStart(t, opB, opBot, 700302);
    const { chatId, conversationId } = await customerSays('Хочу оформить заказ', 'Вера');
    const postA = await postWith(700301, 'Хочу оформить заказ');
    await postWith(700302, 'Хочу оформить заказ');

    await operatorReplies(700301, postA.messageId, '/take');
    await eventually(async () => (await t.owner.get(`/api/conversations/${conversationId}`)).body.assigneeId !== null, 15_000, 'assigned');
    // B may not answer a conversation A has taken.
    const postB = botSent(opBot, 700302).find((s) => s.text.includes('Хочу оформить заказ'))!;
    await operatorReplies(700302, postB.messageId, 'Я тоже могу помочь');
    await postWith(700302, 'уже взял(а)');

    await customerSays('Оплата картой возможна?', 'Вера', chatId);
    await postWith(700301, 'Оплата картой возможна?');
    await postWith(OWNER_TG, 'Оплата картой возможна?');
    expect(botSent(opBot, 700302).some((s) => s.text.includes('Оплата картой возможна?'))).toBe(false);
    expect((await messagesOf(conversationId)).filter((m) => m.direction === 'out')).toHaveLength(0);
  });

  it('managers choose what a linked user receives; others may not', async () => {
    const links = (await t.owner.get('/api/bridge/links')).body.items as { id: string; userEmail: string; scope: string }[];
    const b = links.find((l) => l.userEmail === 'op-b@example.com')!;
    const res = await t.owner.patch(`/api/bridge/links/${b.id}`, { scope: 'none' });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('none');
    const opA = t.anonymous();
    await opA.login('op-a@example.com', 'member-password-123');
    expect((await opA.patch(`/api/bridge/links/${b.id}`, { scope: 'all' })).status).toBe(403);
    expect((await opA.delete(`/api/bridge/links/${b.id}`)).status).toBe(403);

    await customerSays('Есть ли скидки?', 'Семён');
    await postWith(700301, 'Есть ли скидки?');
    await postWith(OWNER_TG, 'Есть ли скидки?');
    expect(botSent(opBot, 700302).some((s) => s.text.includes('Есть ли скидки?'))).toBe(false);
  });

  it('an unlinked Telegram user is told to link first and nothing is sent', async () => {
    const member = await addMember('gone@example.com', 'agent');
    await linkViaStart(t, member, opBot, 700401);
    const { chatId, conversationId } = await customerSays('Здравствуйте, вопрос по заказу', 'Тимур');
    const post = await postWith(700401, 'Здравствуйте, вопрос по заказу');
    const link = (await member.get('/api/bridge')).body.link;
    expect((await member.delete(`/api/bridge/links/${link.id}`)).status).toBe(204);
    await operatorReplies(700401, post.messageId, 'Сейчас посмотрю');
    await postWith(700401, 'Сначала свяжите Telegram');
    expect((await messagesOf(conversationId)).filter((m) => m.direction === 'out')).toHaveLength(0);
    expect(t.telegram.sent.some((s) => s.token === shopBot && s.chatId === String(chatId))).toBe(false);
  });
});

describe('accounts are separate', () => {
  it('an account without an operator bot gets no link and a clear reason', async () => {
    const lonely = await signInNewAccount(t, { email: 'no-bot@example.com', password: 'no-bot-owner-password' });
    expect((await lonely.get('/api/bridge')).body).toEqual({ bot: null, link: null, links: [] });
    const res = await lonely.post('/api/bridge/link-token');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('bridge_not_configured');
    expect(res.body.error.message).toMatch(/operator bot/);
  });

  it("another account's operator bot neither receives nor answers this account's conversations", async () => {
    const other = await signInNewAccount(t, { email: 'other-owner@example.com', password: 'other-owner-password' });
    const otherBot = t.telegram.addBot('other_operators_bot');
    expect(
      (
        await other.post('/api/channels', {
          type: 'telegram',
          name: 'Ops',
          config: { botToken: otherBot, mode: 'webhook', purpose: 'operators' },
        })
      ).status,
    ).toBe(201);
    await linkViaStart(t, other, otherBot, 700501);
    // A token of account A's bot does nothing on account B's bot.
    const aToken = (await t.owner.post('/api/bridge/link-token')).body.token as string;
    expect((await startWith(t, aToken, otherBot, 700502)).text).toMatch(/not valid/);

    const { chatId, conversationId } = await customerSays('Вопрос только для своих', 'Дарья');
    const post = await postWith(OWNER_TG, 'Вопрос только для своих');
    // B's operator answers "that" message id through B's bot: it is no post of B's bot.
    await operatorReplies(700501, post.messageId, 'Чужой ответ', otherBot);
    await postWith(700501, 'Ответьте (reply)', otherBot);
    expect(botSent(otherBot, 700501).some((s) => s.text.includes('Вопрос только для своих'))).toBe(false);
    expect((await messagesOf(conversationId)).filter((m) => m.direction === 'out')).toHaveLength(0);
    expect(t.telegram.sent.some((s) => s.token === shopBot && s.chatId === String(chatId))).toBe(false);
  });
});

describe('group with topics', () => {
  it('opens one forum topic per conversation and answers from messages inside it', async () => {
    const owner = await signInNewAccount(t, { email: 'group-owner@example.com', password: 'group-owner-password' });
    const groupId = -1001234567890;
    t.telegram.addForum(groupId);
    const gBot = t.telegram.addBot('group_operators_bot');
    const gShop = t.telegram.addBot('group_shop_bot');
    expect(
      (
        await owner.post('/api/channels', {
          type: 'telegram',
          name: 'Ops group',
          config: { botToken: gBot, mode: 'webhook', purpose: 'operators', bridgeGroupChatId: String(groupId) },
        })
      ).status,
    ).toBe(201);
    expect(
      (await owner.post('/api/channels', { type: 'telegram', name: 'Group shop', config: { botToken: gShop, mode: 'webhook' } })).status,
    ).toBe(201);
    await linkViaStart(t, owner, gBot, 700601);

    const say = async (chatId: number, text: string) =>
      expect(await t.telegram.deliver(gShop, t.telegram.textUpdate(gShop, { chatId, text, firstName: `Клиент ${chatId}` }))).toBe(200);
    await say(890001, 'Первый вопрос');
    const first = await postWith(groupId, 'Первый вопрос', gBot);
    await say(890001, 'Второй вопрос');
    const second = await postWith(groupId, 'Второй вопрос', gBot);
    await say(890002, 'Другой клиент');
    const other = await postWith(groupId, 'Другой клиент', gBot);

    const topics = t.telegram.topics.filter((x) => x.token === gBot);
    expect(topics).toHaveLength(2);
    expect(topics[0]!.name).toBe('Клиент 890001 · Group shop');
    expect(first.threadId).toBe(topics[0]!.threadId);
    expect(second.threadId).toBe(topics[0]!.threadId);
    expect(other.threadId).toBe(topics[1]!.threadId);

    // Written inside the topic, no explicit reply: it goes to that topic's customer.
    expect(
      await t.telegram.deliver(
        gBot,
        t.telegram.groupUpdate(gBot, { chatId: groupId, fromId: 700601, text: 'Отвечаю в теме', threadId: topics[0]!.threadId }),
      ),
    ).toBe(200);
    const sent = await eventually(
      () => t.telegram.sent.find((s) => s.token === gShop && s.chatId === '890001'),
      15_000,
      'the answer from the topic',
    );
    expect(sent.text).toBe('Отвечаю в теме');

    // An unlinked member of the group is told to link first; nothing reaches the customer.
    expect(
      await t.telegram.deliver(
        gBot,
        t.telegram.groupUpdate(gBot, { chatId: groupId, fromId: 700699, text: 'А я не связан', threadId: topics[1]!.threadId }),
      ),
    ).toBe(200);
    const notice = await postWith(groupId, 'Сначала свяжите Telegram', gBot);
    expect(notice.threadId).toBe(topics[1]!.threadId);
    expect(t.telegram.sent.some((s) => s.token === gShop && s.chatId === '890002')).toBe(false);
    // Group chatter outside the topics is left alone.
    const before = botSent(gBot, groupId).length;
    expect(await t.telegram.deliver(gBot, t.telegram.groupUpdate(gBot, { chatId: groupId, fromId: 700601, text: 'всем привет' }))).toBe(
      200,
    );
    await postWith(groupId, 'Другой клиент', gBot);
    expect(botSent(gBot, groupId)).toHaveLength(before);
  });
});

describe('hand-over', () => {
  it('posts a conversation when the assistant hands it over, with what was said', async () => {
    const aiShop = t.telegram.addBot('ai_shop_bot');
    const ch = await t.owner.post('/api/channels', {
      type: 'telegram',
      name: 'AI shop',
      config: { botToken: aiShop, mode: 'webhook', assistant: { enabled: true } },
    });
    expect(ch.status).toBe(201);
    const chatId = 895001;
    const say = async (text: string) =>
      expect(await t.telegram.deliver(aiShop, t.telegram.textUpdate(aiShop, { chatId, text, firstName: 'Роман' }))).toBe(200);
    await say('Здравствуйте!');
    // The bot answers the greeting itself; nothing for people yet.
    await eventually(() => t.telegram.sent.find((s) => s.token === aiShop && s.chatId === String(chatId)), 15_000, 'the bot greeting');
    await say('Позовите, пожалуйста, живого оператора');
    const post = await postWith(OWNER_TG, 'Позовите, пожалуйста, живого оператора');
    expect(post.text).toContain('Бот передал диалог людям');
    expect(post.text).toContain('Клиент: Здравствуйте!');
    expect(post.text).toMatch(/Бот: /);
    // The first post about this customer is the hand-over (nothing while the bot had it).
    expect(botSent(opBot, OWNER_TG).filter((s) => s.text.includes('Роман'))[0]!.messageId).toBe(post.messageId);
  });
});
