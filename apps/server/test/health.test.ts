import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { eventually, OWNER, startTestApp, type TestApp } from './support/harness.js';
import { freePort } from './support/global-setup.js';
import { alertNotifyJob } from '../src/modules/alerts/alerts.notify.js';
import { AlertsRepository } from '../src/modules/alerts/alerts.repository.js';

let t: TestApp;
let db: pg.Client;
let smtp: SMTPServer;
const mails: { to: string[]; raw: string }[] = [];
beforeAll(async () => {
  // a real SMTP server receiving the alert e-mails
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        done();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
  t = await startTestApp({
    env: { SEND_MAX_ATTEMPTS: '2', ALERT_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, ALERT_EMAIL_FROM: 'Switchboard <alerts@shop.test>' },
    roles: 'api,worker',
  });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const minutesLater = (n: number) => new Date(Date.now() + n * 60_000);

async function channelWithCustomer(chatId: number, config: Record<string, unknown> = {}) {
  const botToken = t.telegram.addBot();
  const channel = await t.owner.post('/api/channels', { type: 'telegram', name: `Shop ${chatId}`, config: { botToken, ...config } });
  expect(channel.status).toBe(201);
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text: 'hello' }))).toBe(200);
  const list = await t.owner.get('/api/conversations?status=all');
  const conv = list.body.items.find((c: { channelId: string }) => c.channelId === channel.body.id);
  return { botToken, channel: channel.body as { id: string }, conv: conv as { id: string } };
}

async function replyStatus(conversationId: string, messageId: string) {
  const items = (await t.owner.get(`/api/conversations/${conversationId}/messages`)).body.items as { id: string; status: string }[];
  return items.find((m) => m.id === messageId)?.status;
}

/** Links the owner's Telegram chat to an operator bot of the account (what the bridge's /start does). */
async function linkOwnerToOperatorBot(chatId: number) {
  const botToken = t.telegram.addBot();
  const bot = await t.owner.post('/api/channels', { type: 'telegram', name: 'Operator bot', config: { botToken, purpose: 'operators' } });
  expect(bot.status).toBe(201);
  const { rows } = await db.query<{ id: string; account_id: string }>(
    `select u.id, m.account_id from users u join memberships m on m.user_id = u.id where u.email = $1`,
    [OWNER.email],
  );
  await db.query(
    `insert into operator_links (account_id, user_id, bot_channel_id, telegram_user_id, telegram_chat_id) values ($1, $2, $3, $4, $4)`,
    [rows[0]!.account_id, rows[0]!.id, bot.body.id, String(chatId)],
  );
  return botToken;
}

describe('channel health and alerts', () => {
  it('a channel whose token is revoked raises one auth alert, notified to the linked owner, resolved on reconnect', async () => {
    const operatorBot = await linkOwnerToOperatorBot(777001);
    const { botToken, channel, conv } = await channelWithCustomer(8101);
    t.telegram.fail('sendMessage', 401, 'Unauthorized', { token: botToken, times: 1 });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'thanks!' });
    await eventually(async () => (await replyStatus(conv.id, reply.body.id)) === 'failed');

    const first = await t.running.checkChannelHealth();
    expect(first.opened).toBeGreaterThanOrEqual(1);
    expect((await t.running.checkChannelHealth()).opened).toBe(0); // one open alert per kind, not one per check
    const alerts = (await t.owner.get(`/api/alerts?channelId=${channel.id}`)).body.items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'auth_failed', channelId: channel.id, resolvedAt: null })]);
    expect(alerts[0].message).toContain('Unauthorized');

    const notified = await eventually(() => t.telegram.sent.find((s) => s.token === operatorBot && s.text.includes(`Shop 8101`)), 15_000);
    expect(String(notified.chatId)).toBe('777001');
    expect(notified.text).toContain('credentials rejected');
    const mail = await eventually(() => mails.find((m) => m.raw.includes('Shop 8101')), 15_000, 'the alert e-mail');
    expect(mail.to).toEqual([OWNER.email]);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe('Switchboard alert: Shop 8101 — credentials rejected');
    expect(parsed.text).toContain('Telegram: Unauthorized');
    await eventually(async () => (await t.owner.get(`/api/alerts?channelId=${channel.id}`)).body.items[0]?.notifiedAt);

    const health = await t.owner.get(`/api/channels/${channel.id}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ openAlerts: [expect.objectContaining({ kind: 'auth_failed' })], deadLetters: 1 });
    const shown = (await t.owner.get(`/api/channels/${channel.id}`)).body;
    expect(shown).toMatchObject({ status: 'auth_failed', errorCount: 1, lastError: expect.stringContaining('Unauthorized') });

    // the owner pastes the token again: connected, the alert resolves
    expect((await t.owner.patch(`/api/channels/${channel.id}`, { config: { botToken } })).status).toBe(200);
    expect((await t.running.checkChannelHealth()).resolved).toBeGreaterThanOrEqual(1);
    expect((await t.owner.get(`/api/alerts?channelId=${channel.id}`)).body.items).toEqual([]);
    const all = (await t.owner.get(`/api/alerts?channelId=${channel.id}&state=all`)).body.items;
    expect(all[0].resolvedAt).not.toBeNull();
  });

  it('silence: no inbound for longer than the channel allows opens an alert; a message resolves it', async () => {
    const { botToken, channel } = await channelWithCustomer(8201, { silenceAlertMinutes: 30 });
    await t.running.checkChannelHealth(minutesLater(10));
    expect((await t.owner.get(`/api/alerts?channelId=${channel.id}`)).body.items).toEqual([]);
    await t.running.checkChannelHealth(minutesLater(45));
    const [alert] = (await t.owner.get(`/api/alerts?channelId=${channel.id}`)).body.items;
    expect(alert).toMatchObject({ kind: 'no_inbound', message: expect.stringContaining('alert after 30 min') });

    await db.query(`update channels set last_inbound_at = now() + interval '44 minutes' where id = $1`, [channel.id]);
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 8201, text: 'still there?' }))).toBe(200);
    await t.running.checkChannelHealth(minutesLater(45));
    expect((await t.owner.get(`/api/alerts?channelId=${channel.id}`)).body.items).toEqual([]);

    // the setting can be removed again (null); credentials and unknown settings cannot
    const removed = await t.owner.patch(`/api/channels/${channel.id}`, { config: { silenceAlertMinutes: null } });
    expect(removed.status).toBe(200);
    expect(removed.body.config).not.toHaveProperty('silenceAlertMinutes');
    const refused = await t.owner.patch(`/api/channels/${channel.id}`, { config: { botToken: null, nonsense: null } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/config/botToken', '/config/nonsense']);
  });

  it('an alert no operator chat could be told of is retried (not marked notified); the retry tells them', async () => {
    await linkOwnerToOperatorBot(777002);
    const { channel } = await channelWithCustomer(8301);
    const account = await accountId();
    const { rows } = await db.query<{ id: string }>(
      `insert into channel_alerts (account_id, channel_id, kind, message) values ($1, $2, 'delivery_failing', 'replies failing') returning id`,
      [account, channel.id],
    );
    const alertId = rows[0]!.id;
    // every linked manager chat refuses the message (the bot was blocked); no e-mail is configured
    const { telegram } = await new AlertsRepository(t.running.ctx.db).managers(account);
    expect(telegram.length).toBeGreaterThanOrEqual(1);
    for (const to of telegram) {
      const bot = (await t.running.ctx.channels.load(account, to.botChannelId))!;
      t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: String(bot.secrets.botToken) });
    }
    const ctx = { ...t.running.ctx, config: { ...t.running.ctx.config, smtpUrl: undefined } };
    const meta = { id: 'test', retryCount: 0, retryLimit: 5, isLastAttempt: false };
    await expect(alertNotifyJob.handler({ accountId: account, alertId }, meta, ctx)).rejects.toThrow(/alert not delivered.*blocked/);
    const notifiedAt = async () => (await db.query('select notified_at from channel_alerts where id = $1', [alertId])).rows[0].notified_at;
    expect(await notifiedAt()).toBeNull();

    await alertNotifyJob.handler({ accountId: account, alertId }, meta, ctx);
    expect(await notifiedAt()).not.toBeNull();
    expect(t.telegram.sent.filter((s) => s.chatId === '777002' && s.text.includes('Shop 8301'))).toHaveLength(1);
  });

  it('a polling channel whose poller keeps failing is reported as lagging', async () => {
    const botToken = t.telegram.addBot();
    t.telegram.fail('getUpdates', 502, 'Bad Gateway', { token: botToken, times: 1000 });
    const channel = await t.owner.post('/api/channels', { type: 'telegram', name: 'Polling shop', config: { botToken, mode: 'polling' } });
    // this app runs no scheduler role: mark the failure as the poller framework would
    await t.running.ctx.channels.setStatus(await accountId(), channel.body.id, 'poller_lagging', 'Telegram: Bad Gateway');
    await t.running.checkChannelHealth(minutesLater(3));
    const [alert] = (await t.owner.get(`/api/alerts?channelId=${channel.body.id}`)).body.items;
    expect(alert).toMatchObject({ kind: 'poller_lagging', message: expect.stringContaining('Bad Gateway') });
  });
});

async function accountId(): Promise<string> {
  const { rows } = await db.query<{ account_id: string }>(
    `select m.account_id from users u join memberships m on m.user_id = u.id where u.email = $1`,
    [OWNER.email],
  );
  return rows[0]!.account_id;
}

describe('dead letters across channels', () => {
  it('lists undelivered replies with the reason; retry one delivers it; discard is audited', async () => {
    const a = await channelWithCustomer(8301);
    const b = await channelWithCustomer(8302);
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: a.botToken, times: 1 });
    t.telegram.fail('sendMessage', 400, 'Bad Request: chat not found', { token: b.botToken, times: 1 });
    const ra = await t.owner.post(`/api/conversations/${a.conv.id}/messages`, { text: 'reply A' });
    const rb = await t.owner.post(`/api/conversations/${b.conv.id}/messages`, { text: 'reply B' });
    await eventually(
      async () => (await replyStatus(a.conv.id, ra.body.id)) === 'failed' && (await replyStatus(b.conv.id, rb.body.id)) === 'failed',
    );

    const list = await t.owner.get('/api/dead-letters?limit=50');
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((d: { messageId: string }) => [ra.body.id, rb.body.id].includes(d.messageId));
    expect(mine).toHaveLength(2);
    expect(mine.find((d: { messageId: string }) => d.messageId === ra.body.id)).toMatchObject({
      channelId: a.channel.id,
      channelType: 'telegram',
      text: 'reply A',
      failureReason: 'Telegram: Forbidden: bot was blocked by the user',
    });
    const onlyB = await t.owner.get(`/api/dead-letters?channelId=${b.channel.id}`);
    expect(onlyB.body.items.map((d: { messageId: string }) => d.messageId)).toEqual([rb.body.id]);

    // the customer unblocked the bot: retry A
    const retried = await t.owner.post('/api/dead-letters/retry', { messageIds: [ra.body.id] });
    expect(retried.body).toEqual({ affected: 1 });
    await eventually(() => t.telegram.sent.find((s) => s.token === a.botToken && s.text === 'reply A'), 15_000);
    await eventually(async () => (await replyStatus(a.conv.id, ra.body.id)) === 'sent');
    // retrying again is a no-op: it is no longer a dead letter
    expect((await t.owner.post('/api/dead-letters/retry', { messageIds: [ra.body.id] })).body).toEqual({ affected: 1 - 1 });

    const discarded = await t.owner.post('/api/dead-letters/discard', { all: true, channelId: b.channel.id });
    expect(discarded.body).toEqual({ affected: 1 });
    expect(await replyStatus(b.conv.id, rb.body.id)).toBe('discarded');
    const audit = (await t.owner.get('/api/audit')).body.items.find((e: { action: string }) => e.action === 'dead_letters.discarded');
    expect(audit).toMatchObject({ details: expect.objectContaining({ count: 1, messageIds: [rb.body.id] }) });
  });

  it('pages through dead letters that share a timestamp without skipping any', async () => {
    const c = await channelWithCustomer(8401);
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: c.botToken, times: 3 });
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three'])
      ids.push((await t.owner.post(`/api/conversations/${c.conv.id}/messages`, { text })).body.id);
    await eventually(async () => {
      for (const id of ids) if ((await replyStatus(c.conv.id, id)) !== 'failed') return false;
      return true;
    });
    // the same instant, to the microsecond
    await db.query(`update messages set created_at = '2026-11-20 10:00:00.123456+00' where id = any($1::uuid[])`, [ids]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { messageId: string }[]; nextCursor: string | null } } = await t.owner.get(
        `/api/dead-letters?channelId=${c.channel.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((d) => d.messageId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('bad requests get clear errors; operators may retry but not discard', async () => {
    expect((await t.owner.post('/api/dead-letters/retry', {})).status).toBe(400);
    expect((await t.owner.post('/api/dead-letters/retry', { messageIds: ['nope'] })).status).toBe(400);
    await t.running.services.identity.addUser(await accountId(), {
      email: 'operator-dlq@example.com',
      name: 'Op',
      password: 'operator-password-1',
      role: 'agent',
    });
    const op = t.anonymous();
    await op.login('operator-dlq@example.com', 'operator-password-1');
    expect((await op.post('/api/dead-letters/retry', { all: true })).status).toBe(200);
    const denied = await op.post('/api/dead-letters/discard', { all: true });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
  });
});
