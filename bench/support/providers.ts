import { randomBytes } from 'node:crypto';
import type { ApiClient } from '../../apps/server/test/support/api-client.js';
import { FakeAvito } from '../../apps/server/test/fakes/avito.js';
import { FakeGreenApi } from '../../apps/server/test/fakes/green-api.js';
import { FakeTelegram } from '../../apps/server/test/fakes/telegram.js';
import { WebhookReceiver, type ReceivedHook } from '../../apps/server/test/fakes/webhook-receiver.js';
import { FakeWhatsApp } from '../../apps/server/test/fakes/whatsapp.js';
import { createWebhookBots, textUpdate } from './channels.js';
import type { Poster } from './load.js';

/**
 * One channel of each provider on one server, driven the way the provider drives it: webhooks
 * authenticated as that provider does (secret header, secret URL, HMAC signature, bearer token,
 * API token), and the replies read back from the provider's fake.
 */
export interface BenchProvider {
  name: 'telegram' | 'avito' | 'whatsapp_cloud' | 'green_api' | 'api';
  channelId: string;
  /** Posts customer message `seq` (unique per run) of customer `chat` to the server; resolves with the status. */
  inbound(http: Poster, chat: number, seq: number, text: string): Promise<number>;
  /** Everything the provider has received from the server so far (text as sent, Date.now() on arrival). */
  delivered(): { text: string; at: number }[];
  /** Send calls so far, and how many of them the fake refused for a rate limit. */
  sendCalls(): { total: number; rateLimited: number };
  /** Replies per second offered in the delivery run: inside the provider's documented limits for one channel. */
  deliveryRate: number;
  /** The limits, as documented (PROVIDERS.md), and whether the fake enforces them. */
  limits: string;
}

export interface Fakes {
  telegram: FakeTelegram;
  avito: FakeAvito;
  whatsapp: FakeWhatsApp;
  green: FakeGreenApi;
  receiver: WebhookReceiver;
}

/** A started fake of every provider (Telegram enforcing its flood limits). */
export async function startFakes(): Promise<Fakes> {
  return {
    telegram: await new FakeTelegram({ enforceLimits: true }).start(),
    avito: await new FakeAvito().start(),
    whatsapp: await new FakeWhatsApp().start(),
    green: await new FakeGreenApi().start(),
    receiver: await new WebhookReceiver().start(),
  };
}

/** The server settings that point it at the fakes (Telegram's goes in `telegramApiRoot`). */
export const fakesEnv = (fakes: Fakes): Record<string, string> => ({
  AVITO_API_ROOT: fakes.avito.url,
  WHATSAPP_API_ROOT: fakes.whatsapp.apiRoot,
  GREENAPI_API_ROOT: fakes.green.url,
});

/** One channel of every provider, each offered `rates[name]` replies per second. */
export async function createEveryProvider(
  owner: ApiClient,
  fakes: Fakes,
  chats: number,
  rates: Record<BenchProvider['name'], number>,
): Promise<BenchProvider[]> {
  return [
    await createTelegram(owner, fakes, rates.telegram),
    await createAvito(owner, fakes, chats, rates.avito),
    await createWhatsApp(owner, fakes, rates.whatsapp_cloud),
    await createGreenApi(owner, fakes, rates.green_api),
    await createApiChannel(owner, fakes, rates.api),
  ];
}

const ok = (res: { status: number; body: { status?: string } }, what: string) => {
  if (res.status !== 201) throw new Error(`${what} channel not created: ${res.status} ${JSON.stringify(res.body)}`);
};

export async function createTelegram(owner: ApiClient, fakes: Fakes, rate: number): Promise<BenchProvider> {
  const [bot] = await createWebhookBots(owner, fakes.telegram, 1);
  return {
    name: 'telegram',
    channelId: bot!.channelId,
    inbound: (http, chat, seq, text) =>
      http.post(bot!.webhookPath, textUpdate(seq, 100_000_000 + chat, seq, text), { 'x-telegram-bot-api-secret-token': bot!.secret }),
    delivered: () => fakes.telegram.sent.filter((s) => s.token === bot!.token).map((s) => ({ text: s.text, at: s.at })),
    sendCalls: () => {
      const calls = fakes.telegram.calls.filter((c) => c.method === 'sendMessage' && c.token === bot!.token);
      return { total: calls.length, rateLimited: calls.filter((c) => c.status === 429).length };
    },
    deliveryRate: rate,
    limits: '30/s per bot, ~1/s per chat (enforced by the fake: 429 + retry_after)',
  };
}

export async function createAvito(owner: ApiClient, fakes: Fakes, chats: number, rate: number): Promise<BenchProvider> {
  const { avito } = fakes;
  const acc = avito.addAccount('Bench shop');
  const res = await owner.post('/api/channels', {
    type: 'avito',
    name: 'Bench Avito',
    config: { clientId: acc.clientId, clientSecret: acc.clientSecret },
  });
  ok(res, 'Avito');
  const hook = avito.account(acc.userId).webhooks[0];
  if (!hook) throw new Error('the server did not subscribe an Avito webhook');
  const path = new URL(hook).pathname;
  // Chats exist on Avito before a customer writes in them (the server looks them up once each).
  const avitoChats = Array.from({ length: chats }, () => avito.addChat(acc.userId, { customerName: 'Покупатель' }));
  return {
    name: 'avito',
    channelId: res.body.id as string,
    inbound: (http, chat, seq, text) => {
      const c = avitoChats[chat % avitoChats.length]!;
      const body = avito.webhookPayload(acc.userId, c.chatId, {
        id: `${randomBytes(8).toString('hex')}${seq}`,
        author_id: c.customerId,
        created: Math.floor(Date.now() / 1000),
        direction: 'in',
        type: 'text',
        content: { text },
        is_read: false,
      });
      return http.post(path, JSON.stringify(body));
    },
    delivered: () => avito.sent.filter((s) => s.userId === acc.userId).map((s) => ({ text: s.text, at: s.at })),
    sendCalls: () => {
      const calls = avito.callsOf('send');
      return { total: calls.length, rateLimited: calls.filter((c) => c.status === 429).length };
    },
    deliveryRate: rate,
    limits: 'a few/s per account (not enforced by the fake; the adapter spaces sends 250 ms)',
  };
}

export async function createWhatsApp(owner: ApiClient, fakes: Fakes, rate: number): Promise<BenchProvider> {
  const meta = fakes.whatsapp;
  const n = meta.addNumber('Bench shop');
  const res = await owner.post('/api/channels', {
    type: 'whatsapp_cloud',
    name: 'Bench WhatsApp',
    config: { phoneNumberId: n.phoneNumberId, accessToken: n.accessToken, appSecret: n.appSecret },
  });
  ok(res, 'WhatsApp');
  const config = res.body.config as { webhookUrl: string; verifyToken: string };
  const verified = await meta.configureWebhook(n.phoneNumberId, config.webhookUrl, config.verifyToken);
  if (verified.status !== 200) throw new Error(`WhatsApp webhook verification answered ${verified.status}`);
  const path = new URL(config.webhookUrl).pathname;
  return {
    name: 'whatsapp_cloud',
    channelId: res.body.id as string,
    inbound: (http, chat, seq, text) => {
      // Meta's bytes, signed with the app secret (this also opens the customer's 24-hour window).
      const raw = meta.serialise(meta.textMessage(n, { from: String(79_000_000_000 + chat), text, id: `wamid.bench${seq}` }));
      return http.post(path, raw, { 'x-hub-signature-256': meta.signature(n.appSecret, raw) });
    },
    delivered: () => meta.sent.filter((s) => s.phoneNumberId === n.phoneNumberId).map((s) => ({ text: s.text, at: s.at })),
    sendCalls: () => {
      const calls = meta.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/${n.phoneNumberId}/messages`));
      return { total: calls.length, rateLimited: calls.filter((c) => c.status !== 200).length };
    },
    deliveryRate: rate,
    limits: '80/s per number, pair rate 45 burst + 1/6 s (enforced: 130429 / 131056)',
  };
}

export async function createGreenApi(owner: ApiClient, fakes: Fakes, rate: number): Promise<BenchProvider> {
  const { green } = fakes;
  const i = green.addInstance();
  const res = await owner.post('/api/channels', {
    type: 'green_api',
    name: 'Bench Green-API',
    config: { idInstance: i.idInstance, apiTokenInstance: i.apiTokenInstance, mode: 'webhook' },
  });
  ok(res, 'Green-API');
  const { webhookUrl, webhookUrlToken } = i.settings;
  if (!webhookUrl || !webhookUrlToken) throw new Error('the server did not set a Green-API webhook URL and token');
  const path = new URL(webhookUrl).pathname;
  return {
    name: 'green_api',
    channelId: res.body.id as string,
    inbound: (http, chat, seq, text) => {
      const body = green.incomingText(i, { chatId: `${79_100_000_000 + chat}@c.us`, text, idMessage: `BENCH${seq}` });
      return http.post(path, JSON.stringify(body), { authorization: `Bearer ${webhookUrlToken}` });
    },
    delivered: () => green.sent.filter((s) => s.idInstance === i.idInstance).map((s) => ({ text: s.message, at: s.at })),
    sendCalls: () => {
      const calls = green.callsOf('sendMessage', i.idInstance);
      return { total: calls.length, rateLimited: calls.filter((c) => c.status === 429).length };
    },
    deliveryRate: rate,
    limits: '~2/s per instance by plan (the adapter spaces sends 500 ms; the fake enforces 50/s with 429)',
  };
}

export async function createApiChannel(owner: ApiClient, fakes: Fakes, rate: number): Promise<BenchProvider> {
  const { receiver } = fakes;
  const callbackPath = '/bench-replies';
  const res = await owner.post('/api/channels', {
    type: 'api',
    name: 'Bench backend',
    config: { callbackUrl: `${receiver.url}${callbackPath}` },
  });
  ok(res, 'API');
  const token = await owner.post('/api/tokens', { name: 'bench backend' });
  if (token.status !== 201) throw new Error(`API token not created: ${token.status}`);
  const authorization = `Bearer ${token.body.token as string}`;
  const channelId = res.body.id as string;
  // The receiver keeps no arrival time: stamp each hook as it is recorded.
  const arrived = new WeakMap<ReceivedHook, number>();
  const push = receiver.received.push.bind(receiver.received);
  receiver.received.push = (...hooks: ReceivedHook[]) => {
    for (const h of hooks) arrived.set(h, Date.now());
    return push(...hooks);
  };
  return {
    name: 'api',
    channelId,
    inbound: (http, chat, seq, text) =>
      http.post(
        `/api/channels/${channelId}/messages`,
        JSON.stringify({ messageId: `crm-${seq}`, contact: { externalId: `client-${chat}`, name: `Client ${chat}` }, text }),
        { authorization },
      ),
    delivered: () =>
      receiver
        .at(callbackPath, 'message.outbound')
        .filter((h) => h.status === 200)
        .map((h) => ({ text: String(h.body.data.text), at: arrived.get(h) ?? Date.now() })),
    sendCalls: () => {
      const hooks = receiver.at(callbackPath);
      return { total: hooks.length, rateLimited: hooks.filter((h) => h.status === 429).length };
    },
    deliveryRate: rate,
    limits: 'callbacks to the company backend (no provider limit; 20/s offered)',
  };
}
