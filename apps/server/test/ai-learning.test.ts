import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

/**
 * Learning from operators, end to end: a question the bot handed over, answered by an operator with the
 * gist of an FAQ entry, becomes one of the entry's wordings on one click — and the next customer who
 * asks it that way is answered by the bot.
 */
let t: TestApp;
let agent: ApiClient;
let botToken: string;
let loyaltyId: string;
let deliveryId: string;
let nextChat = 52_000;

const LOYALTY = {
  question: 'Есть ли у вас программа лояльности?',
  answer: 'Да: с каждого заказа начисляем 5% бонусными баллами, ими можно оплатить до половины следующего заказа.',
};
const DELIVERY = {
  question: 'Сколько стоит доставка по Москве?',
  answer: 'Доставка по Москве стоит 300 рублей, при заказе от 5000 рублей — бесплатно.',
};
/** How a customer really asks about the loyalty programme: no word in common with the entry's question. */
const CUSTOMER_WORDING = 'а за покупки что-нибудь копится?';

beforeAll(async () => {
  t = await startTestApp();
  botToken = t.telegram.addBot();
  const ch = await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Shop',
    config: { botToken, mode: 'webhook', assistant: { enabled: true } },
  });
  expect(ch.status).toBe(201);
  loyaltyId = (await t.owner.post('/api/knowledge/articles', { kind: 'faq', ...LOYALTY })).body.id;
  deliveryId = (await t.owner.post('/api/knowledge/articles', { kind: 'faq', ...DELIVERY })).body.id;
  const member = { email: 'agent@example.com', name: 'Олег', password: 'agent-long-password-1' };
  const created = await t.owner.post('/api/users', { ...member, role: 'agent' });
  expect(created.status).toBe(201);
  agent = new ApiClient(t.url);
  expect((await agent.login(member.email, member.password)).status).toBe(200);
  expect((await t.owner.request('PUT', '/api/ai/settings', { sourceLineChannels: [] })).status).toBe(200);
});
afterAll(async () => {
  await t?.stop();
});

async function customerSays(text: string, chatId = nextChat++) {
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text }))).toBe(200);
  const conv = await eventually(async () => {
    const list = await t.owner.get('/api/conversations?status=all&limit=200');
    return list.body.items.find((c: { contact: { externalId: string } }) => c.contact.externalId === String(chatId));
  });
  return { chatId, conversationId: conv.id as string };
}
type Turn = { text: string; direction: string; status: string; ai: { kind: string; sources: { articleId: string }[] } | null };
const outbound = async (id: string): Promise<Turn[]> =>
  (await t.owner.get(`/api/conversations/${id}/messages?limit=100`)).body.items.filter((m: Turn) => m.direction === 'out');
const settle = (id: string, count: number) =>
  eventually(
    async () => {
      const out = await outbound(id);
      return out.length >= count && out.every((m) => m.status === 'sent') ? out : null;
    },
    10_000,
    `${count} delivered turns`,
  );
const offersOf = async (client: ApiClient, conversationId: string) =>
  (await client.get(`/api/conversations/${conversationId}/wording-offers`)).body.items as {
    id: string;
    question: string;
    articleId: string;
    articleTitle: string;
    via: string;
    status: string;
    confidenceBefore: number | null;
    confidenceAfter: number | null;
  }[];
const quiet = () => new Promise((r) => setTimeout(r, 800));

describe('learning from operators', () => {
  it('a handed-over question answered by an operator becomes answerable by the bot after "add this wording"', async () => {
    // 1. The bot cannot answer it: the customer's words share nothing with the entry.
    const first = await customerSays(CUSTOMER_WORDING);
    const [handover] = await settle(first.conversationId, 1);
    expect(handover!.ai?.kind).toBe('handover');

    // 2. An operator answers in their own words, with the gist of the loyalty entry.
    const reply = await agent.post(`/api/conversations/${first.conversationId}/messages`, {
      text: 'Да, копится: с каждого заказа начисляем 5% бонусными баллами, ими потом можно оплатить до половины следующего заказа.',
    });
    expect(reply.status).toBe(201);

    // 3. The operator is offered "add this wording to FAQ X".
    const [offer] = await eventually(async () => {
      const items = await offersOf(agent, first.conversationId);
      return items.length > 0 ? items : null;
    });
    expect(offer).toMatchObject({ question: CUSTOMER_WORDING, articleId: loyaltyId, articleTitle: LOYALTY.question, via: 'reply' });
    expect(offer!.confidenceBefore!).toBeLessThan(0.5);

    // 4. One click, by the operator (an agent, who cannot edit the knowledge base otherwise).
    expect((await agent.patch(`/api/knowledge/articles/${loyaltyId}`, { alternatives: ['x y z'] })).status).toBe(403);
    const accepted = await agent.post(`/api/conversations/${first.conversationId}/wording-offers/${offer!.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('added');
    expect(accepted.body.confidenceAfter).toBeGreaterThanOrEqual(0.5);
    const again = await agent.post(`/api/conversations/${first.conversationId}/wording-offers/${offer!.id}/accept`);
    expect(again.status).toBe(409);
    expect(await offersOf(agent, first.conversationId)).toEqual([]);
    const article = (await t.owner.get(`/api/knowledge/articles/${loyaltyId}`)).body;
    expect(article.alternatives).toContain(CUSTOMER_WORDING);

    // 5. The next customer who asks it that way is answered by the bot, from that entry.
    const next = await customerSays(CUSTOMER_WORDING);
    const [answer] = await settle(next.conversationId, 1);
    expect(answer!.ai?.kind).toBe('answer');
    expect(answer!.text).toBe(LOYALTY.answer);
    expect(answer!.ai!.sources[0]!.articleId).toBe(loyaltyId);

    // 6. The AI dashboard shows what it changed.
    const learning = (await t.owner.get('/api/ai/learning')).body;
    expect(learning.metrics).toMatchObject({ learned: 1, autoLearned: 0, nowAnswered: 1, answersFromLearned: 1 });
    expect(learning.metrics.autoAnswerRateBefore).toBe(0);
    expect(learning.metrics.autoAnswerRateSince).toBe(1);
    expect(learning.recent[0]).toMatchObject({ id: offer!.id, status: 'added' });
  });

  it('a reply that repeats no FAQ entry offers nothing; a wording offer of another conversation is not found', async () => {
    const c = await customerSays('позовите человека, у меня вопрос про самовывоз');
    await settle(c.conversationId, 1);
    await agent.post(`/api/conversations/${c.conversationId}/messages`, { text: 'Самовывоз возможен с Лесной, 5, с 10 до 20.' });
    await quiet();
    expect(await offersOf(agent, c.conversationId)).toEqual([]);
    const other = (await t.owner.get('/api/ai/learning')).body.recent[0];
    const res = await agent.post(`/api/conversations/${c.conversationId}/wording-offers/${other.id}/accept`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('picking an FAQ from a suggestion offers its wording; a dismissed offer stays dismissed', async () => {
    // A margin up to 1: every answer short of certain is worth a wording, so the suggestion's question qualifies.
    await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.3, lowConfidenceMargin: 0.7 });
    try {
      const c = await customerSays('позовите оператора');
      await settle(c.conversationId, 1);
      await customerSays('а доставка по москве почём?', c.chatId);
      const suggestion = await eventually(async () => (await agent.get(`/api/conversations/${c.conversationId}/suggestion`)).body);
      expect(suggestion.sources[0].articleId).toBe(deliveryId);
      expect((await agent.post(`/api/conversations/${c.conversationId}/suggestions/${suggestion.id}/send`, {})).status).toBe(200);
      const [offer] = await eventually(async () => {
        const items = await offersOf(agent, c.conversationId);
        return items.length > 0 ? items : null;
      });
      expect(offer).toMatchObject({ question: 'а доставка по москве почём?', articleId: deliveryId, via: 'suggestion' });
      const dismissed = await agent.post(`/api/conversations/${c.conversationId}/wording-offers/${offer!.id}/dismiss`);
      expect(dismissed.body.status).toBe('dismissed');
      expect((await agent.post(`/api/conversations/${c.conversationId}/wording-offers/${offer!.id}/accept`)).status).toBe(409);
      expect((await t.owner.get(`/api/knowledge/articles/${deliveryId}`)).body.alternatives).toEqual([]);
    } finally {
      await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.5, lowConfidenceMargin: 0.15 });
    }
  });

  it('with automatic learning on, the wording is added at once; with learning off, nothing is offered', async () => {
    await t.owner.request('PUT', '/api/ai/settings', { learnFromOperators: 'auto' });
    const wording = 'бонусы за заказы дарите?';
    try {
      const c = await customerSays('позовите оператора');
      await settle(c.conversationId, 1);
      await customerSays(wording, c.chatId);
      await settle(c.conversationId, 2);
      await agent.post(`/api/conversations/${c.conversationId}/messages`, {
        text: 'Начисляем 5% бонусными баллами с каждого заказа, оплатить ими можно до половины следующего заказа.',
      });
      const article = await eventually(async () => {
        const a = (await t.owner.get(`/api/knowledge/articles/${loyaltyId}`)).body;
        return a.alternatives.length === 2 ? a : null;
      });
      expect(article.alternatives[1]).toBe(wording);
      const recent = (await t.owner.get('/api/ai/learning')).body;
      expect(recent.recent[0].status).toBe('auto_added');
      expect(recent.metrics.autoLearned).toBe(1);

      await t.owner.request('PUT', '/api/ai/settings', { learnFromOperators: 'off' });
      const d = await customerSays('позовите оператора');
      await settle(d.conversationId, 1);
      await customerSays('а баллы сгорают когда-нибудь?', d.chatId);
      await agent.post(`/api/conversations/${d.conversationId}/messages`, {
        text: 'Начисляем 5% бонусными баллами с каждого заказа, оплатить ими можно до половины следующего заказа.',
      });
      await quiet();
      expect(await offersOf(agent, d.conversationId)).toEqual([]);
    } finally {
      await t.owner.request('PUT', '/api/ai/settings', { learnFromOperators: 'offer' });
    }
  });
});
