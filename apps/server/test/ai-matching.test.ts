import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ROLES } from '@switchboard/shared';
import { addFaqWording } from '../src/modules/ai/ai.wordings.js';
import type { Actor } from '../src/modules/identity/permissions.js';
import { startTestApp, type TestApp } from './support/harness.js';

/**
 * The AI first line on messenger wording, end to end: a small FAQ created through the API, every message
 * through the assistant's decision (POST /api/ai/test runs the same `decide` as the inbound job, with the
 * account's settings, in the analysis thread).
 */
let t: TestApp;
const ids: Record<string, string> = {};

const FAQ = {
  delivery: ['Сколько стоит доставка?', 'Доставка дивана, кресла или шкафа по городу стоит 500 ₽, при заказе от 30 000 ₽ — бесплатно.'],
  hours: ['Какой у вас график работы?', 'Магазин и сервис работают ежедневно с 10:00 до 20:00.'],
  address: ['Где находится сервисный центр?', 'Сервисный центр: ул. Ленина, 10, вход со двора. Технику на ремонт принимаем без записи.'],
  returns: [
    'Как вернуть товар?',
    'Товар надлежащего качества можно вернуть в течение 14 дней с чеком и в упаковке; деньги вернём на карту.',
  ],
  payment: ['Как оплатить заказ?', 'Оплатить можно картой на сайте, курьеру или наличными в магазине.'],
} as const;

beforeAll(async () => {
  t = await startTestApp();
  for (const [key, [question, answer]] of Object.entries(FAQ)) {
    const res = await t.owner.post('/api/knowledge/articles', { kind: 'faq', question, answer });
    expect(res.status).toBe(201);
    ids[key] = res.body.id;
  }
});
afterAll(async () => t?.stop());

const ask = async (query: string) => {
  const res = await t.owner.post('/api/ai/test', { query });
  expect(res.status).toBe(200);
  return res.body.decision as {
    action: 'answer' | 'handover';
    text: string;
    reason: string | null;
    sources: { articleId: string }[];
    confidence: number;
  };
};

async function ownerActor(): Promise<Actor> {
  const me = (await t.owner.get('/api/auth/session')).body.user;
  return { userId: me.id, accountId: me.accountId, role: 'owner', permissions: new Set(SYSTEM_ROLES.owner), via: 'session' };
}

describe('AI first line on messenger wording', { timeout: 60_000 }, () => {
  it.each([
    ['Во сколько вы открываетесь?', 'hours'],
    ['доставка платная?', 'delivery'],
    ['Подскажите адрес сервиса, хочу привезти машинку', 'address'],
    ['Хочу вернуть кофемолку, не подошла', 'returns'],
    ['dostavka platnaya?', 'delivery'],
    ['ljcnfdrf gkfnyfz?', 'delivery'],
    ['скока стоит дотавка 🚚', 'delivery'],
  ])('answers "%s" with the %s entry', async (query, key) => {
    const d = await ask(query);
    expect(d).toMatchObject({ action: 'answer', reason: null });
    expect(d.sources[0]?.articleId).toBe(ids[key]);
    expect(d.text).toBe(FAQ[key as keyof typeof FAQ][1]);
  });

  it.each([
    ['Сколько стоит диван Осло?', 'low_confidence'],
    ['сколько стоит кресло Мальмё?', 'low_confidence'],
    ['какая погода завтра в Сочи?', 'low_confidence'],
    ['где мой заказ 48213? обещали привезти вчера', 'personal_matter'],
    ['срочно!! курьер у подъезда, диван не проходит в дверь', 'personal_matter'],
    ['третий раз переносите доставку, это издевательство', 'personal_matter'],
  ])('hands "%s" to a person (%s) instead of answering from an entry that shares a word', async (query, reason) => {
    const d = await ask(query);
    expect(d).toMatchObject({ action: 'handover', reason, sources: [] });
  });

  it('an extra wording added to an entry (addFaqWording) makes a handed-over question answerable', async () => {
    const question = 'можно забрать самому со склада?';
    expect((await ask(question)).action).toBe('handover');
    const actor = await ownerActor();
    const added = await addFaqWording(t.running.ctx, actor, ids.payment!, `  ${question} `);
    expect(added).toMatchObject({ added: true, alternatives: [question] });
    // The same words again (case, punctuation) are not added twice.
    expect(await addFaqWording(t.running.ctx, actor, ids.payment!, 'Можно забрать самому со склада')).toMatchObject({ added: false });
    const d = await ask(question);
    expect(d).toMatchObject({ action: 'answer' });
    expect(d.sources[0]?.articleId).toBe(ids.payment);
    const history = (await t.owner.get(`/api/knowledge/articles/${ids.payment}/versions`)).body.items;
    expect(history[0].snapshot.alternatives).toEqual([question]);
  });

  it('addFaqWording refuses an empty wording, a missing entry and an account without knowledge.manage', async () => {
    const actor = await ownerActor();
    await expect(addFaqWording(t.running.ctx, actor, ids.hours!, ' ?! ')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(addFaqWording(t.running.ctx, actor, '00000000-0000-4000-8000-000000000000', 'когда открыты')).rejects.toMatchObject({
      code: 'not_found',
    });
    const reader: Actor = { ...actor, role: 'analyst', permissions: new Set(['knowledge.read'] as never) };
    await expect(addFaqWording(t.running.ctx, reader, ids.hours!, 'когда открыты')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("the account's own synonym lines (AI settings) take effect on the next question", async () => {
    const question = 'есть ли у вас шоурум?';
    expect((await ask(question)).sources[0]?.articleId).not.toBe(ids.address);
    const saved = await t.owner.request('PUT', '/api/ai/settings', { synonyms: ['шоурум, сервисный центр'] });
    expect(saved.status).toBe(200);
    expect(saved.body.synonyms).toEqual(['шоурум, сервисный центр']);
    t.running.ctx.ai.settings.forget((await ownerActor()).accountId);
    const d = await ask(question);
    expect(d.action).toBe('answer');
    expect(d.sources[0]?.articleId).toBe(ids.address);
    const tooMany = await t.owner.request('PUT', '/api/ai/settings', { synonyms: Array.from({ length: 501 }, (_, i) => `a${i}, b${i}`) });
    expect(tooMany.status).toBe(400);
  });
});
