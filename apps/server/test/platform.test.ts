import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../src/config.js';
import { createTestDatabase, eventually, startTestApp, type TestApp } from './support/harness.js';
import { SseReader } from './support/sse.js';
import { FakeTelegram } from './fakes/telegram.js';

let t: TestApp;
let second: TestApp; // another process on the same database (API only)
beforeAll(async () => {
  t = await startTestApp();
  second = await startTestApp({ databaseUrl: t.databaseUrl, telegram: t.telegram, roles: 'api' });
});
afterAll(async () => {
  await second?.stop({ keepDatabase: true });
  await t?.stop();
});

const streamOf = (app: TestApp) => SseReader.open(`${app.url}/api/events`, { cookie: app.owner.cookie! });

async function webhookBot() {
  const botToken = t.telegram.addBot();
  const res = await t.owner.post('/api/channels', { type: 'telegram', name: 'Live bot', config: { botToken, mode: 'webhook' } });
  return { botToken, channelId: res.body.id as string };
}

describe('realtime events', () => {
  it('a new inbound message reaches open streams in this and other processes', async () => {
    const here = await streamOf(t);
    const there = await streamOf(second);
    expect(here.status).toBe(200);
    const { botToken } = await webhookBot();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 8001, text: 'live one' }));
    for (const stream of [here, there]) {
      const e = await eventually(
        () => stream.find((x) => x.event === 'message.created' && x.data.message.text === 'live one'),
        5000,
        'event',
      );
      expect(e.id).toMatch(/^\d+$/);
      expect(e.data.conversationId).toMatch(/-/);
    }
    here.close();
    there.close();
  });

  it('replays missed events after Last-Event-ID', async () => {
    const first = await streamOf(t);
    const { botToken } = await webhookBot();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 8002, text: 'before the drop' }));
    const seen = await eventually(() => first.find((x) => x.event === 'message.created' && x.data.message.text === 'before the drop'));
    first.close();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 8002, text: 'while offline 1' }));
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 8002, text: 'while offline 2' }));
    const again = await SseReader.open(`${t.url}/api/events`, { cookie: t.owner.cookie!, 'last-event-id': seen.id! });
    await eventually(() => again.find((x) => x.data.message?.text === 'while offline 2'));
    const texts = again.events.filter((x) => x.event === 'message.created').map((x) => x.data.message.text);
    expect(texts).toEqual(['while offline 1', 'while offline 2']);
    again.close();
    // A fresh EventSource cannot set the header: the query parameter does the same.
    const viaQuery = await SseReader.open(`${t.url}/api/events?lastEventId=${seen.id}`, { cookie: t.owner.cookie! });
    await eventually(() => viaQuery.find((x) => x.data.message?.text === 'while offline 2'));
    viaQuery.close();
  });

  it('delivery status changes are pushed too', async () => {
    const stream = await streamOf(t);
    const { botToken } = await webhookBot();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 8003, text: 'q' }));
    const conv = (await t.owner.get('/api/conversations')).body.items.find(
      (c: { contact: { externalId: string } }) => c.contact.externalId === '8003',
    );
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'a' });
    await eventually(
      () => stream.find((x) => x.event === 'message.updated' && x.data.message.id === reply.body.id && x.data.message.status === 'sent'),
      10_000,
    );
    stream.close();
  });

  it('rejects an unauthenticated stream', async () => {
    const anon = await SseReader.open(`${t.url}/api/events`, {});
    expect(anon.status).toBe(401);
  });
});

describe('polling mode', () => {
  it('long-polls getUpdates, stores messages, persists the offset, and only one process polls a bot', async () => {
    const botToken = t.telegram.addBot();
    const created = await t.owner.post('/api/channels', { type: 'telegram', name: 'Polling bot', config: { botToken, mode: 'polling' } });
    expect(created.status).toBe(201);
    expect(created.body.config.mode).toBe('polling');
    expect(t.telegram.callsOf('deleteWebhook').some((c) => c.token === botToken)).toBe(true);
    // A third process with the scheduler role on the same database: it must not poll the same bot.
    const rival = await startTestApp({ databaseUrl: t.databaseUrl, telegram: t.telegram, roles: 'scheduler,worker' });
    try {
      await t.running.pollers!.rescan();
      await rival.running.pollers!.rescan();
      const pollingIn = [t, rival].filter((a) => a.running.pollers!.active.includes(created.body.id));
      expect(pollingIn).toHaveLength(1);

      t.telegram.queueUpdate(botToken, t.telegram.textUpdate(botToken, { chatId: 8100, text: 'via polling' }));
      const conv = await eventually(async () =>
        (await t.owner.get('/api/conversations')).body.items.find(
          (c: { contact: { externalId: string } }) => c.contact.externalId === '8100',
        ),
      );
      expect(conv.lastMessagePreview).toBe('via polling');
      const lastUpdateId = t.telegram.bot(botToken).nextUpdateId - 1;
      await eventually(() =>
        t.telegram.callsOf('getUpdates').some((c) => c.token === botToken && Number(c.params.offset) === lastUpdateId + 1),
      );
      const channel = (await t.owner.get(`/api/channels/${created.body.id}`)).body;
      expect(channel.status).toBe('connected');
      expect(channel.lastPolledAt).not.toBeNull();
    } finally {
      await rival.stop({ keepDatabase: true });
    }
    // After the rival stopped, this process takes the bot over within one rescan.
    await t.running.pollers!.rescan();
    expect(t.running.pollers!.active).toContain(created.body.id);
  });

  it('an update queued twice (a retried getUpdates) is stored once', async () => {
    const botToken = t.telegram.addBot();
    await t.owner.post('/api/channels', { type: 'telegram', name: 'Polling bot 2', config: { botToken, mode: 'polling' } });
    await t.running.pollers!.rescan();
    const update = t.telegram.textUpdate(botToken, { chatId: 8101, text: 'once' });
    t.telegram.queueUpdate(botToken, update);
    t.telegram.queueUpdate(botToken, update);
    const conv = await eventually(async () =>
      (await t.owner.get('/api/conversations')).body.items.find(
        (c: { contact: { externalId: string } }) => c.contact.externalId === '8101',
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items).toHaveLength(1);
  });
});

describe('boot', () => {
  it('two processes starting together on an empty database migrate once and create one owner', async () => {
    const db = await createTestDatabase();
    const telegram = await new FakeTelegram().start();
    const [a, b] = await Promise.all([startTestApp({ databaseUrl: db.url, telegram }), startTestApp({ databaseUrl: db.url, telegram })]);
    const users = (await a.owner.get('/api/users')).body.items;
    expect(users).toHaveLength(1);
    expect((await b.owner.get('/api/users')).body.items).toEqual(users);
    expect([a.running.bootstrap, b.running.bootstrap].filter(Boolean)).toHaveLength(1);
    await a.stop({ keepDatabase: true });
    await b.stop({ keepDatabase: true });
    await telegram.stop();
    await db.drop();
  });

  it('a wrong configuration value stops boot with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, [])).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' }, [])).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' }, [])).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SECRET_KEY: 'short' }, [])).toThrow(/SECRET_KEY/);
    expect(() => loadConfig({}, ['--roles=api,cron'])).toThrow(/--roles.*cron/);
    expect(loadConfig({}, ['--roles=worker']).roles).toEqual(['worker']);
  });

  it('reports readiness of the database and the queue', async () => {
    const res = await fetch(`${t.url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
  });
});
