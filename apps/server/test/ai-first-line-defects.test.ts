import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

/**
 * What a new user saw go wrong with the AI first line, each pinned by a test: the language of the
 * conversation, what the waiting notice claims, when and in whose name the customer is greeted, the
 * source line, the built-in hand-over phrases, LLM mode without an LLM, suggestions below the
 * threshold, and the inbox preview.
 */
let t: TestApp;
let anna: ApiClient;
let annaId: string;
let botToken: string;
let nextChat = 31_000;

const DELIVERY = {
  question: 'Сколько стоит доставка по Москве?',
  answer: 'Доставка по Москве стоит 300 рублей, при заказе от 5000 рублей — бесплатно.',
};

beforeAll(async () => {
  t = await startTestApp();
  botToken = t.telegram.addBot();
  const ch = await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Shop',
    config: { botToken, mode: 'webhook', assistant: { enabled: true } },
  });
  expect(ch.status).toBe(201);
  expect((await t.owner.post('/api/knowledge/articles', { kind: 'faq', ...DELIVERY })).status).toBe(201);
  const member = { email: 'anna@example.com', name: 'Анна Смирнова', password: 'anna-long-password-1' };
  const created = await t.owner.post('/api/users', { ...member, role: 'agent' });
  expect(created.status).toBe(201);
  annaId = created.body.id;
  anna = new ApiClient(t.url);
  expect((await anna.login(member.email, member.password)).status).toBe(200);
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

type Turn = { text: string; authorType: string; status: string; direction: string; ai: { kind: string } | null };
const messagesOf = async (id: string): Promise<Turn[]> => (await t.owner.get(`/api/conversations/${id}/messages?limit=100`)).body.items;
const outbound = async (id: string) => (await messagesOf(id)).filter((m) => m.direction === 'out');

/** Waits until `count` outbound turns are delivered, and until the inbound job has finished with the last message. */
async function settle(conversationId: string, count: number) {
  return eventually(
    async () => {
      const out = await outbound(conversationId);
      return out.length >= count && out.every((m) => m.status === 'sent') ? out : null;
    },
    10_000,
    `${count} delivered turns`,
  );
}
/** Lets queued jobs run, for assertions that something did NOT happen. */
const quiet = () => new Promise((r) => setTimeout(r, 800));

describe('the conversation keeps its language', () => {
  it('"Order #A-1234, ok?" inside a Russian conversation is answered in Russian', async () => {
    const { chatId, conversationId } = await customerSays('Позовите, пожалуйста, оператора');
    await settle(conversationId, 1);
    await customerSays('Order #A-1234, ok?', chatId);
    const [, notice] = await settle(conversationId, 2);
    expect(notice!.ai?.kind).toBe('waiting');
    expect(notice!.text).toBe('Передали ваш вопрос менеджеру, он скоро ответит.');
  });

  it('the bot answers a Russian conversation in Russian even when the new message is mostly a code', async () => {
    const { chatId, conversationId } = await customerSays('Здравствуйте');
    await settle(conversationId, 1);
    await customerSays('Order #A-1234, ok?', chatId);
    const [greeting, turn] = await settle(conversationId, 2);
    expect(greeting!.text).toBe('Здравствуйте! Чем могу помочь?');
    expect(turn!.ai?.kind).toBe('handover');
    expect(turn!.text).toBe('Передаю ваш вопрос сотруднику — он скоро ответит.');
  });

  it('a customer who clearly switches to English gets English', async () => {
    const { chatId, conversationId } = await customerSays('Здравствуйте');
    await settle(conversationId, 1);
    await customerSays('Sorry, could you answer in English please? I need a human agent', chatId);
    const [, turn] = await settle(conversationId, 2);
    expect(turn!.ai?.kind).toBe('handover');
    expect(turn!.text).toBe('I am passing your question to a colleague who will answer shortly.');
  });
});

describe('the waiting notice says what is true', () => {
  it('queued: "passed to a manager"; taken: the operator by display name; answered: silence', async () => {
    const { chatId, conversationId } = await customerSays('позовите менеджера');
    await settle(conversationId, 1);
    await customerSays('ау, есть кто?', chatId);
    const queued = await settle(conversationId, 2);
    expect(queued[1]!.text).toBe('Передали ваш вопрос менеджеру, он скоро ответит.');
    expect(queued[1]!.text).not.toContain('уже занимается');

    expect((await t.owner.patch(`/api/conversations/${conversationId}`, { assigneeId: annaId })).status).toBe(200);
    await customerSays('жду', chatId);
    const taken = await settle(conversationId, 3);
    expect(taken[2]!.text).toBe('Анна Смирнова уже занимается вашим вопросом и скоро ответит.');

    expect((await anna.post(`/api/conversations/${conversationId}/messages`, { text: 'Здравствуйте, смотрю ваш заказ.' })).status).toBe(
      201,
    );
    const before = (await outbound(conversationId)).length;
    await customerSays('спасибо', chatId);
    await eventually(async () => (await messagesOf(conversationId)).at(-1)?.text === 'спасибо');
    await quiet();
    expect(await outbound(conversationId)).toHaveLength(before);
  });
});

describe('greeting in the person’s name', () => {
  it('assigning does not greet; the assignee opening it greets once, with their display name', async () => {
    const { conversationId } = await customerSays('хочу поговорить с человеком');
    await settle(conversationId, 1);
    expect((await t.owner.patch(`/api/conversations/${conversationId}`, { assigneeId: annaId })).status).toBe(200);
    await quiet();
    expect(await outbound(conversationId)).toHaveLength(1);
    // Someone else looking at it greets nobody.
    await t.owner.post(`/api/conversations/${conversationId}/read`);
    await quiet();
    expect(await outbound(conversationId)).toHaveLength(1);

    await anna.post(`/api/conversations/${conversationId}/read`);
    const out = await settle(conversationId, 2);
    expect(out[1]!.ai?.kind).toBe('greeting');
    expect(out[1]!.text).toBe('Здравствуйте! Меня зовут Анна Смирнова, я помогу вам.');
    await anna.post(`/api/conversations/${conversationId}/read`);
    await anna.post(`/api/conversations/${conversationId}/messages`, { text: 'Слушаю вас.' });
    const after = await settle(conversationId, 3);
    expect(after.filter((m) => m.ai?.kind === 'greeting')).toHaveLength(1);
  });

  it('taking it oneself (while looking at it) greets at once', async () => {
    const { conversationId } = await customerSays('позовите человека');
    await settle(conversationId, 1);
    expect((await anna.patch(`/api/conversations/${conversationId}`, { assigneeId: annaId })).status).toBe(200);
    const out = await settle(conversationId, 2);
    expect(out[1]!.text).toBe('Здравствуйте! Меня зовут Анна Смирнова, я помогу вам.');
  });

  it('a person without a display name ("Owner") answering is greeted without a name, before the answer', async () => {
    const { conversationId } = await customerSays('оператор!');
    await settle(conversationId, 1);
    expect((await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: 'Добрый день!' })).status).toBe(201);
    const out = await settle(conversationId, 3);
    expect(out.map((m) => m.text)).toEqual([
      'Передаю ваш вопрос сотруднику — он скоро ответит.',
      'Здравствуйте! Я помогу вам с вашим вопросом.',
      'Добрый день!',
    ]);
    expect(out.some((m) => m.text.includes('Owner'))).toBe(false);
  });
});

describe('where an answer came from', () => {
  it('the customer sees a short source line on channels where it is on; off, the answer alone', async () => {
    const { chatId, conversationId } = await customerSays('сколько стоит доставка по москве?');
    const [turn] = await settle(conversationId, 1);
    expect(turn!.text).toBe(`${DELIVERY.answer}\n\nИсточник: ${DELIVERY.question}`);
    expect(t.telegram.sent.find((m) => m.chatId === String(chatId))?.text).toContain('Источник: ');

    const off = await t.owner.request('PUT', '/api/ai/settings', { sourceLineChannels: [] });
    expect(off.body.sourceLineChannels).toEqual([]);
    try {
      const again = await customerSays('сколько стоит доставка по москве?');
      const [plain] = await settle(again.conversationId, 1);
      expect(plain!.text).toBe(DELIVERY.answer);
    } finally {
      await t.owner.request('PUT', '/api/ai/settings', { sourceLineChannels: ['telegram'] });
    }
  });
});

describe('assistant settings', () => {
  it('shows the built-in hand-over phrases next to the account’s own', async () => {
    const settings = (await t.owner.get('/api/ai/settings')).body;
    expect(settings.handoverKeywords).toEqual([]);
    expect(settings.builtInHandoverKeywords).toEqual(expect.arrayContaining(['оператор', 'человек', 'operator']));
  });

  it('refuses LLM mode with no LLM configured, with a clear code, and keeps the settings as they were', async () => {
    const bad = await t.owner.request('PUT', '/api/ai/settings', { answerMode: 'llm', confidenceThreshold: 0.6 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('llm_not_configured');
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/llm/baseUrl', '/llm/chatModel']);
    const classify = await t.owner.request('PUT', '/api/ai/settings', {
      classificationMode: 'llm',
      llm: { baseUrl: 'https://llm.example.com/v1' },
    });
    expect(classify.body.error.code).toBe('llm_not_configured');
    const now = (await t.owner.get('/api/ai/settings')).body;
    expect(now).toMatchObject({ answerMode: 'local', classificationMode: 'local', confidenceThreshold: 0.5 });
  });
});

describe('suggested replies', () => {
  it('none is shown below the confidence threshold, even one proposed before the threshold was raised', async () => {
    const first = await customerSays('позовите оператора');
    await settle(first.conversationId, 1);
    await customerSays('сколько стоит доставка по москве?', first.chatId);
    const shown = await eventually(async () => (await t.owner.get(`/api/conversations/${first.conversationId}/suggestion`)).body);
    expect(shown.confidence).toBeLessThan(1);

    await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 1 });
    try {
      expect((await t.owner.get(`/api/conversations/${first.conversationId}/suggestion`)).body).toBeNull();
      const second = await customerSays('позовите оператора');
      await settle(second.conversationId, 1);
      await customerSays('сколько стоит доставка по москве?', second.chatId);
      await eventually(async () => (await messagesOf(second.conversationId)).length === 3);
      await quiet();
      expect((await t.owner.get(`/api/conversations/${second.conversationId}/suggestion`)).body).toBeNull();
    } finally {
      await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.5 });
    }
  });
});

describe('the inbox preview', () => {
  it('shows the customer’s question, not the bot’s answer or notice', async () => {
    const { conversationId } = await customerSays('сколько стоит доставка по москве?');
    await settle(conversationId, 1);
    const conv = (await t.owner.get(`/api/conversations/${conversationId}`)).body;
    expect(conv.lastMessagePreview).toBe('сколько стоит доставка по москве?');
    const handed = await customerSays('позовите оператора');
    await settle(handed.conversationId, 1);
    expect((await t.owner.get(`/api/conversations/${handed.conversationId}`)).body.lastMessagePreview).toBe('позовите оператора');
  });
});
