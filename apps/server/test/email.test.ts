import { randomUUID } from 'node:crypto';
import MailComposer, { type Options as MailOptions } from 'nodemailer/lib/mail-composer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailAdapter } from '../src/modules/channels/email/email.adapter.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';
import { emailChannelConfig, startDovecot, startSmtpSink, type Dovecot, type SmtpSink } from './support/mail-servers.js';

/*
 * The e-mail channel against real servers: a private dovecot (IMAP) and an `smtp-server` sink. Mail
 * "arrives" by IMAP APPEND into the watched folder, as a delivery agent would put it there.
 * The API/worker process and the poller process are separate apps on one database, so the poller
 * can be stopped and started again like a restarted scheduler.
 */

const ADDRESS = 'support@shop.test';
const WAIT = 30_000;

let t: TestApp;
let poller: TestApp | undefined;
let dovecot: Dovecot;
let smtp: SmtpSink;
let db: pg.Client;
let folders = 0;

beforeAll(async () => {
  dovecot = await startDovecot();
  smtp = await startSmtpSink();
  t = await startTestApp({ roles: 'api,worker' });
  poller = await startPoller();
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await poller?.stop({ keepDatabase: true });
  await t?.stop();
  await smtp?.stop();
  await dovecot?.stop();
});

function startPoller() {
  return startTestApp({ databaseUrl: t.databaseUrl, telegram: t.telegram, roles: 'scheduler' });
}

const config = (folder: string, overrides: Record<string, unknown> = {}) =>
  emailChannelConfig(dovecot, smtp, folder, { fromName: 'Shop Support', ...overrides });

/** A channel watching a fresh folder of the test mailbox, with its poll loop running. */
async function emailChannel() {
  const folder = `Support${++folders}`;
  await dovecot.createMailbox(folder);
  const res = await t.owner.post('/api/channels', { type: 'email', name: `Mail ${folder}`, config: config(folder) });
  expect(res.status).toBe(201);
  const channel = res.body as { id: string; status: string; config: Record<string, unknown> };
  await watching(channel.id);
  return { channel, folder };
}

async function watching(channelId: string) {
  // One rescan now instead of waiting for the next scheduled one (each call also schedules its own).
  await poller!.running.pollers!.rescan();
  await eventually(() => poller!.running.pollers!.active.includes(channelId), WAIT, 'the poll loop');
}

let counter = 0;
async function email(o: MailOptions & { messageId?: string }): Promise<{ raw: Buffer; messageId: string }> {
  const messageId = o.messageId ?? `<${randomUUID()}@customer.test>`;
  const raw = await new MailComposer({ to: ADDRESS, date: new Date(Date.now() + counter++), ...o, messageId }).compile().build();
  return { raw, messageId };
}

interface Conv {
  id: string;
  channelId: string;
  contact: { name: string | null; externalId: string };
  context: { kind?: string; subject?: string } | null;
}

async function conversationsOf(channelId: string, address: string): Promise<Conv[]> {
  const list = await t.owner.get('/api/conversations?status=all&limit=200');
  return (list.body.items as Conv[]).filter((c) => c.channelId === channelId && c.contact.externalId === address);
}

async function messagesOf(conversationId: string) {
  return (await t.owner.get(`/api/conversations/${conversationId}/messages`)).body.items as {
    id: string;
    text: string | null;
    direction: string;
    status: string;
    failureReason: string | null;
    attachments: { kind: string; fileName?: string; mimeType?: string; size?: number }[];
  }[];
}

/** Waits for the conversation holding a message whose text contains `text`. */
async function arrived(channelId: string, address: string, text: string) {
  return eventually(
    async () => {
      for (const conv of await conversationsOf(channelId, address)) {
        const messages = await messagesOf(conv.id);
        if (messages.some((m) => m.text?.includes(text))) return { conv, messages };
      }
      return null;
    },
    WAIT,
    `a message "${text}"`,
  );
}

async function rowOf(messageId: string) {
  const { rows } = await db.query<{ external_id: string | null; attempts: number; meta: Record<string, unknown> | null }>(
    'select external_id, attempts, meta from messages where id = $1',
    [messageId],
  );
  return rows[0]!;
}

async function settled(conversationId: string, messageId: string) {
  return eventually(
    async () => {
      const m = (await messagesOf(conversationId)).find((x) => x.id === messageId);
      return m && ['sent', 'failed', 'dead'].includes(m.status) ? m : null;
    },
    WAIT,
    'the reply to settle',
  );
}

describe('e-mail channel: connecting', { timeout: 120_000 }, () => {
  it('a wrong IMAP password is refused with 422 and the server’s words; no channel is stored', async () => {
    await dovecot.createMailbox('Refused');
    const before = (await t.owner.get('/api/channels')).body.length;
    const res = await t.owner.post('/api/channels', {
      type: 'email',
      name: 'Wrong',
      config: config('Refused', { imapPassword: 'not-the-password' }),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('provider_rejected');
    expect(res.body.error.message).toMatch(/IMAP server rejected the login: .*Authentication failed/i);
    expect((await t.owner.get('/api/channels')).body.length).toBe(before);
  });

  it('a wrong SMTP password is refused with 422; an unreachable server is 503', async () => {
    const smtpWrong = await t.owner.post('/api/channels', {
      type: 'email',
      name: 'Wrong',
      config: config('Refused', { smtpPassword: 'nope' }),
    });
    expect(smtpWrong.status).toBe(422);
    expect(smtpWrong.body.error.message).toMatch(/SMTP server rejected the login: 535/);
    const closed = await t.owner.post('/api/channels', { type: 'email', name: 'Down', config: config('Refused', { imapPort: 1 }) });
    expect(closed.status).toBe(503);
    expect(closed.body.error.code).toBe('service_unavailable');
  });

  it('a folder that does not exist is refused with 422', async () => {
    const res = await t.owner.post('/api/channels', { type: 'email', name: 'X', config: config('NoSuchFolder') });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/NoSuchFolder/);
  });

  it('stores no password in what the API returns', async () => {
    const { channel } = await emailChannel();
    expect(channel.status).toBe('connected');
    expect(JSON.stringify(channel)).not.toContain(dovecot.password);
    expect(JSON.stringify(channel)).not.toContain(smtp.password);
  });
});

describe('e-mail channel: inbound', { timeout: 120_000 }, () => {
  it('a message put into the mailbox arrives as a conversation with contact, subject and text', async () => {
    const { channel, folder } = await emailChannel();
    const { raw } = await email({
      from: 'Анна Петрова <Anna@Customer.test>',
      subject: 'Где мой заказ?',
      text: 'Здравствуйте! Заказ 1042 ещё не пришёл.\n\nOn Mon, 1 Jan 2024 at 10:00, Shop <support@shop.test> wrote:\n> old text',
    });
    await dovecot.append(folder, raw);
    const { conv, messages } = await arrived(channel.id, 'anna@customer.test', 'Заказ 1042');
    expect(conv.contact.name).toBe('Анна Петрова');
    expect(conv.context).toEqual({ kind: 'email', subject: 'Где мой заказ?' });
    expect(messages.map((m) => m.text)).toEqual(['Здравствуйте! Заказ 1042 ещё не пришёл.']);
  });

  it('the same message delivered twice is stored once', async () => {
    const { channel, folder } = await emailChannel();
    const { raw } = await email({ from: 'dup@customer.test', subject: 'Twice', text: 'delivered twice' });
    await dovecot.append(folder, raw);
    await dovecot.append(folder, raw);
    await dovecot.append(folder, (await email({ from: 'dup@customer.test', subject: 'After', text: 'the next one' })).raw);
    await arrived(channel.id, 'dup@customer.test', 'the next one');
    const all = await Promise.all((await conversationsOf(channel.id, 'dup@customer.test')).map((c) => messagesOf(c.id)));
    expect(
      all
        .flat()
        .map((m) => m.text)
        .sort(),
    ).toEqual(['delivered twice', 'the next one']);
  });

  it('keeps an attachment in the database and serves it through the API', async () => {
    const { channel, folder } = await emailChannel();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 7)]);
    const { raw } = await email({
      from: 'Ivan <ivan@customer.test>',
      subject: 'Счёт',
      html: '<p>Счёт во <b>вложении</b></p>',
      attachments: [{ filename: 'счёт.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    await dovecot.append(folder, raw);
    const { conv, messages } = await arrived(channel.id, 'ivan@customer.test', 'Счёт во');
    expect(messages[0]!.text).toBe('Счёт во вложении');
    expect(messages[0]!.attachments).toEqual([
      expect.objectContaining({ kind: 'document', fileName: 'счёт.pdf', mimeType: 'application/pdf', size: pdf.length }),
    ]);
    const url = `${t.url}/api/conversations/${conv.id}/messages/${messages[0]!.id}/attachments/0`;
    const res = await fetch(url, { headers: { cookie: t.owner.cookie! } });
    expect(res.status).toBe(200);
    // A PDF is saved, not shown: Chromium will not open its viewer in the sandbox customer files get.
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await fetch(url.replace(/\/0$/, '/1'), { headers: { cookie: t.owner.cookie! } })).status).toBe(404);
  });

  it('does not store an out-of-office reply as a customer message; keeps automatic notices away from the bot', async () => {
    const { channel, folder } = await emailChannel();
    await t.owner.patch(`/api/channels/${channel.id}`, { config: { assistant: { enabled: true } } });
    await dovecot.append(
      folder,
      (
        await email({
          from: 'away@customer.test',
          subject: 'Out of office',
          text: 'I am on holiday',
          headers: { 'Auto-Submitted': 'auto-replied' },
        })
      ).raw,
    );
    await dovecot.append(
      folder,
      (
        await email({
          from: 'robot@customer.test',
          subject: 'Notice',
          text: 'automatic notice',
          headers: { 'Auto-Submitted': 'auto-generated' },
        })
      ).raw,
    );
    await dovecot.append(folder, (await email({ from: 'away@customer.test', subject: 'Back', text: 'I am back' })).raw);
    await arrived(channel.id, 'away@customer.test', 'I am back');
    const { conv } = await arrived(channel.id, 'robot@customer.test', 'automatic notice');
    const away = await Promise.all((await conversationsOf(channel.id, 'away@customer.test')).map((c) => messagesOf(c.id)));
    expect(away.flat().map((m) => m.text)).toEqual(['I am back']);
    // Stored for people (not the bot), and marked.
    expect((await t.owner.get(`/api/conversations/${conv.id}`)).body.status).toBe('queued');
    const [notice] = await messagesOf(conv.id);
    expect((await rowOf(notice!.id)).meta).toMatchObject({ email: { automated: 'auto-submitted: auto-generated' } });
  });

  it('catches up by UID on messages that arrived while the poller was stopped', async () => {
    const { channel, folder } = await emailChannel();
    await dovecot.append(folder, (await email({ from: 'early@customer.test', subject: 'One', text: 'before the stop' })).raw);
    await arrived(channel.id, 'early@customer.test', 'before the stop');
    await poller!.stop({ keepDatabase: true });
    poller = undefined;
    await dovecot.append(folder, (await email({ from: 'early@customer.test', subject: 'Two', text: 'while stopped 1' })).raw);
    await dovecot.append(folder, (await email({ from: 'late@customer.test', subject: 'Three', text: 'while stopped 2' })).raw);
    poller = await startPoller();
    await watching(channel.id);
    await arrived(channel.id, 'early@customer.test', 'while stopped 1');
    await arrived(channel.id, 'late@customer.test', 'while stopped 2');
    const early = await Promise.all((await conversationsOf(channel.id, 'early@customer.test')).map((c) => messagesOf(c.id)));
    expect(
      early
        .flat()
        .map((m) => m.text)
        .sort(),
    ).toEqual(['before the stop', 'while stopped 1']);
  });

  it('a recreated mailbox (new UIDVALIDITY) is read again without losing or duplicating messages', async () => {
    // Dovecot does not tell an idling session its mailbox was recreated: the heartbeat's fresh SELECT does.
    const adapter = poller!.running.ctx.channels.typed<EmailAdapter>('email');
    adapter.heartbeatMs = 1_000;
    try {
      const { channel, folder } = await emailChannel();
      const first = await email({ from: 'uv@customer.test', subject: 'First', text: 'first message' });
      await dovecot.append(folder, first.raw);
      await arrived(channel.id, 'uv@customer.test', 'first message');
      const before = await dovecot.uidValidity(folder);
      await dovecot.deleteMailbox(folder);
      await dovecot.createMailbox(folder);
      const after = await dovecot.uidValidity(folder);
      expect(after).not.toBe(before);
      // The recreated folder holds the old message again (a restore) and a new one.
      await dovecot.append(folder, first.raw);
      await dovecot.append(folder, (await email({ from: 'uv@customer.test', subject: 'Second', text: 'second message' })).raw);
      await arrived(channel.id, 'uv@customer.test', 'second message');
      const all = await Promise.all((await conversationsOf(channel.id, 'uv@customer.test')).map((c) => messagesOf(c.id)));
      expect(
        all
          .flat()
          .map((m) => m.text)
          .sort(),
      ).toEqual(['first message', 'second message']);
      const { rows } = await db.query<{ state: { imap: { uidValidity: number; lastUid: number } } }>(
        'select state from channels where id = $1',
        [channel.id],
      );
      expect(rows[0]!.state.imap).toMatchObject({ uidValidity: after, lastUid: 2 });
    } finally {
      adapter.heartbeatMs = 4 * 60_000;
    }
  });
});

describe('e-mail channel: replies', { timeout: 120_000 }, () => {
  it('an operator reply goes out over SMTP threaded under the customer’s message; the answer comes back to the same conversation', async () => {
    const { channel, folder } = await emailChannel();
    const original = await email({ from: 'Maria <maria@customer.test>', subject: 'Delivery to Kazan', text: 'Do you deliver to Kazan?' });
    await dovecot.append(folder, original.raw);
    const { conv } = await arrived(channel.id, 'maria@customer.test', 'deliver to Kazan');

    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Yes, in 3 days.' });
    expect(reply.status).toBe(201);
    const sent = await eventually(() => smtp.received.find((m) => m.to.includes('maria@customer.test')), WAIT, 'the SMTP delivery');
    expect(sent.parsed.subject).toBe('Re: Delivery to Kazan');
    expect(sent.parsed.inReplyTo).toBe(original.messageId);
    expect(sent.parsed.references).toBe(original.messageId);
    expect(sent.parsed.from?.value[0]).toEqual({ name: 'Shop Support', address: ADDRESS });
    expect(sent.parsed.text?.trim()).toBe('Yes, in 3 days.');
    expect((await settled(conv.id, reply.body.id)).status).toBe('sent');
    const ours = sent.parsed.messageId!;
    expect(ours).toMatch(/^<[0-9a-f-]{36}@shop\.test>$/);
    expect((await rowOf(reply.body.id)).external_id).toBe(ours);

    // The customer answers our reply: same conversation. A new subject: a new one.
    const customerAnswer = await email({
      from: 'Maria <maria@customer.test>',
      subject: 'Re: Re: Delivery to Kazan',
      text: 'Great, ordering now.\n\n> Yes, in 3 days.',
      inReplyTo: ours,
      references: [original.messageId, ours],
    });
    await dovecot.append(folder, customerAnswer.raw);
    await dovecot.append(folder, (await email({ from: 'maria@customer.test', subject: 'Refund', text: 'A different question' })).raw);
    const answer = await arrived(channel.id, 'maria@customer.test', 'ordering now');
    expect(answer.conv.id).toBe(conv.id);
    expect(answer.messages.map((m) => m.text)).toEqual(['Do you deliver to Kazan?', 'Yes, in 3 days.', 'Great, ordering now.']);
    const other = await arrived(channel.id, 'maria@customer.test', 'A different question');
    expect(other.conv.id).not.toBe(conv.id);
    expect(other.conv.context?.subject).toBe('Refund');

    // The next reply continues the chain: it answers the customer's last message and references all three.
    const second = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Thank you!' });
    await settled(conv.id, second.body.id);
    const next = smtp.received.filter((m) => m.to.includes('maria@customer.test')).at(-1)!;
    expect(next.parsed.subject).toBe('Re: Re: Delivery to Kazan');
    expect(next.parsed.inReplyTo).toBe(customerAnswer.messageId);
    expect(next.parsed.references).toEqual([original.messageId, ours, customerAnswer.messageId]);
  });

  it('a permanent SMTP rejection (550) fails the reply with the server’s reason after one attempt', async () => {
    const { channel, folder } = await emailChannel();
    smtp.rejectRecipient('gone@customer.test', 550, '5.1.1 Mailbox gone@customer.test does not exist');
    await dovecot.append(folder, (await email({ from: 'gone@customer.test', subject: 'Hi', text: 'hello from a dying mailbox' })).raw);
    const { conv } = await arrived(channel.id, 'gone@customer.test', 'dying mailbox');
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Hello!' });
    const m = await settled(conv.id, reply.body.id);
    expect(m.status).toBe('failed');
    expect(m.failureReason).toMatch(/550 5\.1\.1 Mailbox gone@customer\.test does not exist/);
    expect(smtp.attempts.get('gone@customer.test')).toBe(1);
    expect((await rowOf(reply.body.id)).attempts).toBe(1);
  });

  it('a temporary SMTP failure (451) is retried, then sent', async () => {
    const { channel, folder } = await emailChannel();
    smtp.rejectRecipient('busy@customer.test', 451, '4.7.1 Greylisted, try again later', 2);
    await dovecot.append(folder, (await email({ from: 'busy@customer.test', subject: 'Hi', text: 'greylisting customer' })).raw);
    const { conv } = await arrived(channel.id, 'busy@customer.test', 'greylisting customer');
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Hello again' });
    const m = await settled(conv.id, reply.body.id);
    expect(m.status).toBe('sent');
    expect(smtp.attempts.get('busy@customer.test')).toBe(3);
    expect(smtp.received.filter((r) => r.to.includes('busy@customer.test'))).toHaveLength(1);
  });

  it('an SMTP login refused while sending (535) fails the reply and marks the channel auth_failed', async () => {
    const { channel, folder } = await emailChannel();
    await dovecot.append(folder, (await email({ from: 'auth@customer.test', subject: 'Hi', text: 'before the password change' })).raw);
    const { conv } = await arrived(channel.id, 'auth@customer.test', 'before the password change');
    smtp.refuseLogins = true;
    try {
      const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Hello' });
      const m = await settled(conv.id, reply.body.id);
      expect(m.status).toBe('failed');
      expect(m.failureReason).toMatch(/^SMTP: .*535/);
      expect((await t.owner.get(`/api/channels/${channel.id}`)).body.status).toBe('auth_failed');
    } finally {
      smtp.refuseLogins = false;
    }
  });

  it('a bounce for one of our replies fails that reply with the bounce’s diagnostic', async () => {
    const { channel, folder } = await emailChannel();
    await dovecot.append(folder, (await email({ from: 'bouncy@customer.test', subject: 'Hi', text: 'soon to bounce' })).raw);
    const { conv } = await arrived(channel.id, 'bouncy@customer.test', 'soon to bounce');
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Our answer' });
    expect((await settled(conv.id, reply.body.id)).status).toBe('sent');
    const ours = (await rowOf(reply.body.id)).external_id!;
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>',
      `To: ${ADDRESS}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.customer.test>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      'Final-Recipient: rfc822; bouncy@customer.test',
      'Action: failed',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `From: Shop Support <${ADDRESS}>`,
      `Message-ID: ${ours}`,
      'Subject: Re: Hi',
      '--b1--',
      '',
    ].join('\r\n');
    await dovecot.append(folder, dsn);
    const failed = await eventually(
      async () => (await messagesOf(conv.id)).find((m) => m.id === reply.body.id && m.status === 'failed'),
      WAIT,
      'the bounce to fail the reply',
    );
    expect(failed.failureReason).toBe('Bounced: 552 5.2.2 Mailbox full');
    expect(await conversationsOf(channel.id, 'mailer-daemon@mx.customer.test')).toEqual([]);
  });
});
