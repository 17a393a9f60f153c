import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '@switchboard/shared';
import { checkWaiting } from '../src/modules/notifications/notifications.waiting.js';
import type { ApiClient } from './support/api-client.js';
import { eventually, OWNER, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/mail-servers.js';
import { SseReader } from './support/sse.js';
import { FakePushService } from './fakes/push-service.js';

let t: TestApp;
let db: pg.Client;
let smtp: SmtpSink;
let push: FakePushService;
let accountId: string;
let ownerId: string;
let api: ApiClient; // the backend of an API channel, posting customers' messages
let channelId: string;
let botChannelId: string;
const people = {} as Record<
  'agent' | 'agent2' | 'supervisor' | 'collaborator' | 'analyst',
  { client: ApiClient; id: string; email: string }
>;
let seq = 0;
/**
 * The outbox is read up to a settled horizon: while any transaction anywhere on the PostgreSQL server runs
 * long (a benchmark loading data beside the tests), that takes up to its 60 s fallback.
 */
const SETTLED = 75_000;

beforeAll(async () => {
  smtp = await startSmtpSink();
  push = await new FakePushService().start();
  t = await startTestApp({
    env: { SMTP_URL: `smtp://${smtp.user}:${smtp.password}@127.0.0.1:${smtp.port}`, MAIL_FROM: 'Desk <desk@shop.test>' },
  });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  const me = (await t.owner.get('/api/auth/session')).body.user;
  accountId = me.accountId;
  ownerId = me.id;
  for (const role of ['agent', 'agent2', 'supervisor', 'collaborator', 'analyst'] as const) {
    const email = `${role}@example.com`;
    const password = `${role}-password-long-enough`;
    const user = await t.running.services.identity.addUser(accountId, {
      email,
      name: role === 'agent2' ? 'Boris' : role[0]!.toUpperCase() + role.slice(1),
      password,
      role: role === 'agent2' ? 'agent' : role,
    });
    const client = t.anonymous();
    expect((await client.login(email, password)).status).toBe(200);
    people[role] = { client, id: (user as { id: string }).id ?? (await client.get('/api/auth/session')).body.user.id, email };
  }
  const ch = await t.owner.post('/api/channels', { type: 'api', name: 'Shop site', config: {} });
  expect(ch.status).toBe(201);
  channelId = ch.body.id;
  const token = await t.owner.post('/api/tokens', { name: 'backend' });
  api = t.owner.withToken(token.body.token as string);
}, 120_000);

afterAll(async () => {
  await db?.end();
  await t?.stop();
  await smtp?.stop();
  await push?.stop();
});

async function customerWrites(externalId: string, text: string, channel = channelId): Promise<string> {
  const res = await api.post(`/api/channels/${channel}/messages`, {
    messageId: `m-${++seq}`,
    contact: { externalId, name: `Customer ${externalId}` },
    text,
  });
  expect(res.status).toBeLessThan(300);
  return (res.body.conversationId ?? res.body.conversation?.id) as string;
}

type Listed = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  conversationId: string | null;
  readAt: string | null;
};
const listOf = async (c: ApiClient) => (await c.get('/api/notifications?limit=100')).body as { items: Listed[]; unread: number };
const findFor = (c: ApiClient, pred: (n: Listed) => boolean, what: string) =>
  eventually(async () => (await listOf(c)).items.find(pred), SETTLED, what);

async function setPrefs(c: ApiClient, change: (s: NotificationSettings) => NotificationSettings) {
  const current = (await c.get('/api/notifications/preferences')).body.settings as NotificationSettings;
  const res = await c.request('PUT', '/api/notifications/preferences', { settings: change(structuredClone(current)) });
  expect(res.status).toBe(200);
  return res.body;
}

describe('notifications from the events of conversations', { timeout: 240_000 }, () => {
  it('a new conversation reaches the people who take conversations (no teams yet), live and only to each of them', async () => {
    const agentStream = await SseReader.open(`${t.url}/api/events`, { cookie: people.agent.client.cookie! });
    const analystStream = await SseReader.open(`${t.url}/api/events`, { cookie: people.analyst.client.cookie! });
    expect(agentStream.status).toBe(200);
    expect(analystStream.status).toBe(200); // no conversation.read: the stream opens, and carries only what is theirs
    const conversationId = await customerWrites('new-1', 'Is the blue sofa in stock?');
    const n = await findFor(
      people.agent.client,
      (x) => x.conversationId === conversationId && x.kind === 'new_conversation',
      'the agent’s notification',
    );
    expect(n).toMatchObject({ body: 'Is the blue sofa in stock?', link: `/inbox/${conversationId}` });
    expect(n.title).toContain('Customer new-1');
    await findFor(t.owner, (x) => x.conversationId === conversationId, 'the owner’s notification');
    await findFor(people.supervisor.client, (x) => x.conversationId === conversationId, 'the supervisor’s notification');
    // The collaborator cannot take conversations, the analyst cannot even read them.
    for (const who of ['collaborator', 'analyst'] as const) {
      expect((await listOf(people[who].client)).items.filter((x) => x.conversationId === conversationId)).toEqual([]);
    }
    const live = await eventually(
      () => agentStream.find((e) => e.event === 'notification.created' && e.data.notification.id === n.id),
      5_000,
    );
    expect(live.data.unread).toBeGreaterThan(0);
    expect(live.data.audience).toEqual([people.agent.id]);
    // Nobody else's notification and no conversation event reaches the analyst's stream.
    await new Promise((r) => setTimeout(r, 500));
    expect(analystStream.events.filter((e) => e.event.startsWith('notification.') || e.event.startsWith('message.'))).toEqual([]);
    expect(agentStream.events.filter((e) => e.event === 'notification.created' && !e.data.audience.includes(people.agent.id))).toEqual([]);
    agentStream.close();
    analystStream.close();
  });

  it('assigned to me, the customer replies in my conversation, a mention in a note — each to the right person only', async () => {
    const conversationId = await customerWrites('assign-1', 'Hello?');
    await findFor(people.agent.client, (x) => x.conversationId === conversationId, 'new conversation');
    // Assignment (published by the teamwork rules as `conversation.assigned`): the assignee hears, not the one who assigned.
    const patched = await t.owner.patch(`/api/conversations/${conversationId}`, { assigneeId: people.agent.id });
    expect(patched.status).toBe(200);
    await publish('conversation.assigned', {
      conversationId,
      assigneeId: people.agent.id,
      previousAssigneeId: null,
      byUserId: ownerId,
      teamId: null,
    });
    await publish('conversation.assigned', {
      conversationId,
      assigneeId: ownerId,
      previousAssigneeId: null,
      byUserId: ownerId,
      teamId: null,
    });
    const assigned = await findFor(people.agent.client, (x) => x.kind === 'assigned' && x.conversationId === conversationId, 'assigned');
    expect(assigned.title).toMatch(/assigned|назначен/);
    // The customer writes again: only the assignee is told.
    await customerWrites('assign-1', 'Are you there?');
    const replied = await findFor(
      people.agent.client,
      (x) => x.kind === 'customer_replied' && x.conversationId === conversationId,
      'reply',
    );
    expect(replied.body).toBe('Are you there?');
    expect((await listOf(people.agent2.client)).items.filter((x) => x.kind === 'customer_replied')).toEqual([]);
    // A note mentioning Boris (published by the notes as `note.mentioned`); the author is never told of their own mention.
    await publish('note.mentioned', {
      conversationId,
      messageId: crypto.randomUUID(),
      authorId: people.agent.id,
      mentionedUserIds: [people.agent2.id, people.agent.id, people.analyst.id],
    });
    const mention = await findFor(people.agent2.client, (x) => x.kind === 'mention' && x.conversationId === conversationId, 'mention');
    expect(mention.title).toContain('Agent');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await listOf(people.agent.client)).items.filter((x) => x.kind === 'mention')).toEqual([]);
    expect((await listOf(people.analyst.client)).items.filter((x) => x.kind === 'mention')).toEqual([]); // cannot read conversations
    expect((await listOf(t.owner)).items.filter((x) => x.kind === 'assigned')).toEqual([]);
  });

  it('the bot hands a conversation over: the people of the queue are told why', async () => {
    const bot = await t.owner.post('/api/channels', { type: 'api', name: 'Bot site', config: { assistant: { enabled: true } } });
    expect(bot.status).toBe(201);
    const conversationId = await customerWrites('handover-1', 'Позовите оператора, пожалуйста', bot.body.id as string);
    const n = await findFor(people.agent2.client, (x) => x.kind === 'handed_over' && x.conversationId === conversationId, 'hand-over');
    expect(n.title).toMatch(/handed over|передал/);
    const { rows } = await db.query(
      "select payload from events where type = 'conversation.handed_over' and payload->>'conversationId' = $1",
      [conversationId],
    );
    expect(rows[0].payload.reason).toBe('asked_for_human');
    // While the bot had it, nobody was told of a "new conversation".
    expect(
      (await listOf(people.agent2.client)).items.filter((x) => x.kind === 'new_conversation' && x.conversationId === conversationId),
    ).toEqual([]);
  });

  it('waiting without an answer: the assignee after their minutes, managers after theirs; once per waiting message', async () => {
    const conversationId = await customerWrites('wait-1', 'Still waiting…');
    await t.owner.patch(`/api/conversations/${conversationId}`, { assigneeId: people.agent2.id });
    await setPrefs(people.agent2.client, (s) => ({ ...s, waitingMinutes: 10 }));
    const ctx = t.running.ctx;
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    await checkWaiting(ctx, at(5));
    expect((await listOf(people.agent2.client)).items.filter((x) => x.kind === 'waiting' && x.conversationId === conversationId)).toEqual(
      [],
    );
    await checkWaiting(ctx, at(11));
    const waiting = await findFor(people.agent2.client, (x) => x.kind === 'waiting' && x.conversationId === conversationId, 'waiting');
    expect(waiting.title).toMatch(/1[01] (min|мин)/);
    expect(
      (await listOf(people.supervisor.client)).items.filter((x) => x.kind === 'waiting_escalated' && x.conversationId === conversationId),
    ).toEqual([]);
    await checkWaiting(ctx, at(125));
    const escalated = await findFor(
      people.supervisor.client,
      (x) => x.kind === 'waiting_escalated' && x.conversationId === conversationId,
      'escalation',
    );
    expect(escalated.title).toMatch(/2 (h|ч)/);
    await findFor(t.owner, (x) => x.kind === 'waiting_escalated' && x.conversationId === conversationId, 'owner escalation');
    expect((await listOf(people.agent.client)).items.filter((x) => x.kind === 'waiting_escalated')).toEqual([]); // not a manager
    await checkWaiting(ctx, at(130));
    expect(
      (await listOf(people.agent2.client)).items.filter((x) => x.kind === 'waiting' && x.conversationId === conversationId),
    ).toHaveLength(1);
    // An operator answers: nothing is waiting any more.
    expect((await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: 'Here!' })).status).toBe(201);
    await checkWaiting(ctx, at(300));
    expect((await listOf(t.owner)).items.filter((x) => x.conversationId === conversationId && x.kind === 'waiting_escalated')).toHaveLength(
      1,
    );
  });

  it('a low customer rating notifies the assignee and managers (ready for the ratings to come)', async () => {
    const conversationId = await customerWrites('csat-1', 'Thanks, I guess');
    await t.owner.patch(`/api/conversations/${conversationId}`, { assigneeId: people.agent.id });
    await publish('csat.rated', { conversationId, score: 5 });
    await publish('csat.rated', { conversationId, score: 1, comment: 'Slow' });
    const n = await findFor(people.agent.client, (x) => x.kind === 'low_csat', 'low csat');
    expect(n.body).toBe('Slow');
    await findFor(people.supervisor.client, (x) => x.kind === 'low_csat', 'low csat to the supervisor');
    expect((await listOf(people.agent.client)).items.filter((x) => x.kind === 'low_csat')).toHaveLength(1);
  });

  it('a blocked contact notifies nobody (their messages are still kept)', async () => {
    cursorBeforeBlocked = await cursorNow();
    const conversationId = await customerWrites('blocked-1', 'First');
    await t.owner.patch(`/api/conversations/${conversationId}`, { assigneeId: people.agent.id });
    await findFor(people.agent.client, (x) => x.conversationId === conversationId, 'the first message');
    await db.query('update contacts set blocked_at = now() where id = (select contact_id from conversations where id = $1)', [
      conversationId,
    ]);
    await customerWrites('blocked-1', 'Spam spam spam');
    await customerWrites('unblocked-1', 'A marker after it');
    await findFor(people.agent.client, (x) => x.body === 'A marker after it', 'the marker');
    expect(
      (await listOf(people.agent.client)).items.filter((x) => x.conversationId === conversationId && x.kind === 'customer_replied'),
    ).toEqual([]);
  });

  it('reading the event log again (a restart, a rescan) creates nothing twice', async () => {
    const count = async () => Number((await db.query('select count(*) from notifications')).rows[0].count);
    const before = await count();
    const reached = await cursorNow();
    // Back to before the previous test: its events are read again, with nothing changed since.
    await db.query("update outbox_cursors set cursor = $1 where name = 'notifications'", [cursorBeforeBlocked]);
    await eventually(async () => (await cursorNow()) >= reached, SETTLED, 'the rescan');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await count()).toBe(before);
  });
});

describe('the bell: unread count, read, read all', { timeout: 240_000 }, () => {
  it('marks one and then all read, tells my other tabs, and never touches someone else’s', async () => {
    const c = people.agent.client;
    const stream = await SseReader.open(`${t.url}/api/events`, { cookie: c.cookie! });
    const { items, unread } = await listOf(c);
    expect(unread).toBeGreaterThan(1);
    expect((await c.get('/api/notifications/unread-count')).body.unread).toBe(unread);
    const one = items.find((x) => !x.readAt)!;
    // Someone else's id is ignored, not an error that would reveal it.
    const foreign = (await listOf(t.owner)).items[0]!.id;
    const res = await c.post('/api/notifications/read', { ids: [one.id, foreign] });
    expect(res.body.unread).toBe(unread - 1);
    expect((await listOf(t.owner)).items.find((x) => x.id === foreign)!.readAt).toBeNull();
    const told = await eventually(() => stream.find((e) => e.event === 'notification.read'), 5_000);
    expect(told.data).toMatchObject({ ids: [one.id], unread: unread - 1 });
    expect((await c.post('/api/notifications/read', { all: true })).body.unread).toBe(0);
    expect((await c.get('/api/notifications?unread=true')).body.items).toEqual([]);
    stream.close();
  });

  it('pages with a cursor; bad input is refused', async () => {
    const first = await t.owner.get('/api/notifications?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await t.owner.get(`/api/notifications?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    expect((await t.owner.get('/api/notifications?cursor=garbage')).status).toBe(400);
    expect((await t.owner.post('/api/notifications/read', {})).status).toBe(400);
    const prefs = (await t.owner.get('/api/notifications/preferences')).body.settings;
    expect(
      (
        await t.owner.request('PUT', '/api/notifications/preferences', {
          settings: { ...prefs, quietHours: { ...prefs.quietHours, timeZone: 'Mars/Base' } },
        })
      ).body.error.code,
    ).toBe('validation_failed');
    expect(
      (
        await t.owner.request('PUT', '/api/notifications/preferences', {
          settings: { ...prefs, quietHours: { ...prefs.quietHours, from: '25:00' } },
        })
      ).status,
    ).toBe(400);
    expect((await t.anonymous().get('/api/notifications')).status).toBe(401);
  });

  it('another account sees none of these, and its own events notify only its people', async () => {
    const other = await signInNewAccount(t, { email: 'other-owner@example.com', password: 'other-password-long' });
    expect((await listOf(other)).items).toEqual([]);
    expect((await other.post('/api/notifications/read', { ids: [(await listOf(t.owner)).items[0]!.id] })).body.unread).toBe(0);
    expect((await listOf(t.owner)).unread).toBeGreaterThan(0);
  });
});

describe('delivery by browser push, e-mail and Telegram', { timeout: 240_000 }, () => {
  it('Web Push: encrypted for the subscribed browser with the installation’s VAPID key; readable with its keys', async () => {
    const prefs = (await people.agent.client.get('/api/notifications/preferences')).body;
    expect(prefs.media.push.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    // The same key every time (generated once into DATA_DIR).
    expect((await t.owner.get('/api/notifications/preferences')).body.media.push.publicKey).toBe(prefs.media.push.publicKey);
    const browser = push.subscription('agent-browser');
    const sub = await people.agent.client.post('/api/notifications/push-subscriptions', { endpoint: browser.endpoint, keys: browser.keys });
    expect(sub.status).toBe(204);
    const conversationId = await customerWrites('push-1', 'Push me');
    const received = await eventually(
      () => push.pushesTo('agent-browser').find((p) => (p.payload as { link: string }).link === `/inbox/${conversationId}`),
      SETTLED,
      'a push',
    );
    expect(received.payload).toMatchObject({ kind: 'new_conversation', body: 'Push me' });
    expect(received.vapidKey).toBe(prefs.media.push.publicKey);
    expect(received.headers['content-encoding']).toBe('aes128gcm');
    await eventually(
      async () => {
        const deliveries = (await people.agent.client.get('/api/notifications/deliveries?status=sent')).body.items as {
          medium: string;
          title: string;
        }[];
        return deliveries.find((d) => d.medium === 'push' && d.title.includes('push-1'));
      },
      10_000,
      'the push recorded as sent',
    );
  });

  it('Web Push failures are visible: a gone subscription is forgotten, a failing service is recorded and retried', async () => {
    const gone = push.subscription('gone-browser');
    push.answer.set('gone-browser', 410);
    await people.agent2.client.post('/api/notifications/push-subscriptions', { endpoint: gone.endpoint, keys: gone.keys });
    await customerWrites('push-2', 'Anyone?');
    const skipped = await eventually(
      async () => {
        const items = (await people.agent2.client.get('/api/notifications/deliveries?status=skipped')).body.items as {
          medium: string;
          lastError: string;
          title: string;
        }[];
        return items.find((d) => d.medium === 'push' && d.title.includes('push-2'));
      },
      SETTLED,
      'a skipped push',
    );
    expect(skipped.lastError).toMatch(/expired/);
    expect((await people.agent2.client.get('/api/notifications/preferences')).body.media.push.subscriptions).toBe(0);

    const broken = push.subscription('broken-browser');
    push.answer.set('broken-browser', 500);
    await people.agent2.client.post('/api/notifications/push-subscriptions', { endpoint: broken.endpoint, keys: broken.keys });
    await customerWrites('push-3', 'Hello again');
    const failing = await eventually(
      async () => {
        const items = (await people.agent2.client.get('/api/notifications/deliveries')).body.items as {
          medium: string;
          lastError: string | null;
          attempts: number;
          status: string;
          title: string;
        }[];
        return items.find((d) => d.medium === 'push' && d.title.includes('push-3') && d.lastError?.includes('500'));
      },
      SETTLED,
      'a failed push attempt',
    );
    expect(failing.attempts).toBeGreaterThanOrEqual(1);
    expect(['pending', 'failed']).toContain(failing.status);
    // Recovery: the service comes back and the retry goes through.
    push.answer.delete('broken-browser');
    await eventually(() => push.pushesTo('broken-browser')[0], 60_000, 'the retried push');
  }, 240_000);

  it('a push endpoint the outbound policy refuses is refused when subscribing', async () => {
    const res = await people.agent.client.post('/api/notifications/push-subscriptions', {
      endpoint: 'http://169.254.169.254/latest/meta-data',
      keys: push.subscription('x').keys,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('url_not_allowed');
  });

  it('e-mail through the installation’s mail server, when chosen for the event', async () => {
    await setPrefs(people.supervisor.client, (s) => ({
      ...s,
      events: { ...s.events, assigned: { inApp: true, push: false, email: true, telegram: false } },
    }));
    const conversationId = await customerWrites('mail-1', 'Please call me back');
    await publish('conversation.assigned', {
      conversationId,
      assigneeId: people.supervisor.id,
      previousAssigneeId: null,
      byUserId: ownerId,
      teamId: null,
    });
    const mail = await eventually(
      () => smtp.received.find((m) => m.to.includes(people.supervisor.email) && m.parsed.text?.includes(`/inbox/${conversationId}`)),
      SETTLED,
      'the e-mail',
    );
    expect(mail.parsed.subject).toMatch(/assigned|назначен/);
    expect(mail.parsed.from?.text).toContain('desk@shop.test');
  });

  it('Telegram through the operator bot for people who linked it; failures recorded', async () => {
    const token = t.telegram.addBot('notify_ops_bot');
    const bot = await t.owner.post('/api/channels', {
      type: 'telegram',
      name: 'Operators',
      config: { botToken: token, mode: 'webhook', purpose: 'operators' },
    });
    expect(bot.status).toBe(201);
    botChannelId = bot.body.id;
    const link = await people.supervisor.client.post('/api/bridge/link-token');
    expect(link.status).toBe(201);
    const tgUser = 551100;
    expect(await t.telegram.deliver(token, t.telegram.textUpdate(token, { chatId: tgUser, text: `/start ${link.body.token}` }))).toBe(200);
    await eventually(() => t.telegram.sent.find((s) => s.token === token && s.chatId === String(tgUser)), SETTLED, 'link confirmation');
    expect((await people.supervisor.client.get('/api/notifications/preferences')).body.media.telegram.linked).toBe(true);
    const conversationId = await customerWrites('tg-1', 'Need a manager');
    await publish('note.mentioned', {
      conversationId,
      messageId: crypto.randomUUID(),
      authorId: people.agent.id,
      mentionedUserIds: [people.supervisor.id],
    });
    const sent = await eventually(
      () => t.telegram.sent.find((s) => s.token === token && s.chatId === String(tgUser) && s.text.includes('🔔')),
      SETTLED,
      'the Telegram notice',
    );
    expect(sent.text).toContain(`/inbox/${conversationId}`);
    // Someone who did not link Telegram: the delivery says why it was skipped.
    await publish('note.mentioned', {
      conversationId,
      messageId: crypto.randomUUID(),
      authorId: people.supervisor.id,
      mentionedUserIds: [people.agent.id],
    });
    const skipped = await eventually(
      async () => {
        const items = (await people.agent.client.get('/api/notifications/deliveries?status=skipped')).body.items as {
          medium: string;
          lastError: string;
        }[];
        return items.find((d) => d.medium === 'telegram');
      },
      SETTLED,
      'a skipped Telegram delivery',
    );
    expect(skipped.lastError).toMatch(/not linked/);
    expect(botChannelId).toBeTruthy();
  });

  it('quiet hours: the bell records at once, push waits until they end (and is skipped if read meanwhile)', async () => {
    const browser = push.subscription('quiet-browser');
    await people.supervisor.client.post('/api/notifications/push-subscriptions', { endpoint: browser.endpoint, keys: browser.keys });
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    await setPrefs(people.supervisor.client, (s) => ({
      ...s,
      quietHours: {
        enabled: true,
        from: hhmm(new Date(now.getTime() - 60 * 60_000)),
        to: hhmm(new Date(now.getTime() + 60 * 60_000)),
        timeZone: 'UTC',
      },
    }));
    const conversationId = await customerWrites('quiet-1', 'Late question');
    const n = await findFor(people.supervisor.client, (x) => x.conversationId === conversationId, 'recorded in the bell');
    const held = await eventually(
      async () => {
        const items = (await people.supervisor.client.get('/api/notifications/deliveries')).body.items as {
          notificationId: string;
          medium: string;
          notBefore: string | null;
          status: string;
        }[];
        return items.find((d) => d.notificationId === n.id && d.medium === 'push');
      },
      10_000,
      'the held delivery',
    );
    expect(held.status).toBe('pending');
    expect(new Date(held.notBefore!).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(push.pushesTo('quiet-browser')).toEqual([]);
    // Quiet hours end having been read in the app: the held push is not sent.
    await people.supervisor.client.post('/api/notifications/read', { ids: [n.id] });
    await db.query("update pgboss.job set start_after = now() where name = 'notification.deliver' and data->>'deliveryId' = $1", [
      (held as unknown as { id: string }).id,
    ]);
    const settled = await eventually(
      async () => {
        const items = (await people.supervisor.client.get('/api/notifications/deliveries?status=skipped')).body.items as {
          notificationId: string;
          medium: string;
          lastError: string;
        }[];
        return items.find((d) => d.notificationId === n.id && d.medium === 'push');
      },
      SETTLED,
      'the held push skipped',
    );
    expect(settled.lastError).toMatch(/Read in the app/);
    expect(push.pushesTo('quiet-browser')).toEqual([]);
    await setPrefs(people.supervisor.client, (s) => ({ ...s, quietHours: DEFAULT_NOTIFICATION_SETTINGS.quietHours }));
  });

  it('a test notification to myself', async () => {
    const res = await t.owner.post('/api/notifications/test');
    expect(res.status).toBe(201);
    expect(res.body.title).toMatch(/Test notification|Проверка/);
    expect((await listOf(t.owner)).items[0]!.id).toBe(res.body.id);
    expect(OWNER.email).toBeTruthy();
  });
});

let cursorBeforeBlocked = 0;
const cursorNow = async () => Number((await db.query("select cursor from outbox_cursors where name = 'notifications'")).rows[0].cursor);

async function publish(type: string, payload: Record<string, unknown>) {
  await t.running.ctx.bus.publish(t.running.ctx.pool, accountId, type, payload);
}
