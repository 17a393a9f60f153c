import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from './support/harness.js';
import { healthLatencyDuring } from './support/health-sampler.js';
import { emailChannelConfig, startDovecot, startSmtpSink, type Dovecot, type SmtpSink } from './support/mail-servers.js';

/*
 * A megabyte of customer text must not stall the server. E-mail is the channel whose text has no cap
 * before it is stored (and must be stored whole); the AI first line reads its beginning, in the analysis
 * thread. Before, one long "word" held the event loop for minutes (typo expansion is quadratic in the
 * word's length) and the job was retried after every restart.
 */

const ADDRESS = 'support@shop.test';
const MAILBOX = 'Huge';
const MB = 1_000_000;

let t: TestApp;
let dovecot: Dovecot;
let smtp: SmtpSink;
let customers = 0;

beforeAll(async () => {
  dovecot = await startDovecot();
  smtp = await startSmtpSink();
  t = await startTestApp();
  await dovecot.createMailbox(MAILBOX);
  const channel = await t.owner.post('/api/channels', {
    type: 'email',
    name: 'Support mail',
    config: emailChannelConfig(dovecot, smtp, MAILBOX, { assistant: { enabled: true } }),
  });
  expect(channel.status).toBe(201);
  await t.running.pollers!.rescan();
  await eventually(() => t.running.pollers!.active.includes(channel.body.id as string), 30_000, 'the poll loop');
  const faq = [
    { question: 'How long does delivery take?', answer: 'Delivery takes two to three days.' },
    { question: 'How much does delivery to Moscow cost?', answer: 'Delivery to Moscow costs 300 roubles.' },
  ];
  for (const f of faq) expect((await t.owner.post('/api/knowledge/articles', { kind: 'faq', ...f })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await smtp?.stop();
  await dovecot?.stop();
});

interface Message {
  direction: string;
  text: string;
  ai: { kind: string } | null;
}

/** Mails `text` to the support address; resolves with the conversation's messages once the bot has taken its turn. */
async function customerWrites(text: string): Promise<Message[]> {
  const from = `customer${++customers}@customer.test`;
  const raw = await new MailComposer({ from, to: ADDRESS, subject: 'Question', text, messageId: `<${randomUUID()}@customer.test>` })
    .compile()
    .build();
  await dovecot.append(MAILBOX, raw);
  return eventually(
    async () => {
      const list = (await t.owner.get('/api/conversations?status=all&limit=200')).body.items as {
        id: string;
        contact: { externalId: string };
      }[];
      const conv = list.find((c) => c.contact.externalId === from);
      if (!conv) return null;
      const messages = (await t.owner.get(`/api/conversations/${conv.id}/messages?limit=10`)).body.items as Message[];
      return messages.some((m) => m.direction === 'out') ? messages : null;
    },
    120_000,
    'the bot to answer or hand over',
  );
}

const oneWord = (n: number) => 'deliverytimequestion'.repeat(Math.ceil(n / 20)).slice(0, n);
const sentences = (n: number) =>
  'How long does delivery to Moscow take and what does it cost?'
    .padEnd(61)
    .repeat(Math.ceil(n / 61))
    .slice(0, n)
    .trim();

describe('a 1 MB customer message', { timeout: 180_000 }, () => {
  it.each([
    ['one 1 MB word', oneWord(MB)],
    ['1 MB of ordinary sentences', sentences(MB)],
  ])('%s: is stored whole, answered or handed over, and /health keeps answering meanwhile', async (_name, text) => {
    const { result: messages, latenciesMs } = await healthLatencyDuring(t.url, () => customerWrites(text));
    const inbound = messages.find((m) => m.direction === 'in')!;
    expect(inbound.text).toHaveLength(text.length);
    expect(inbound.text === text).toBe(true);
    const turn = messages.find((m) => m.direction === 'out')!;
    expect(['answer', 'handover']).toContain(turn.ai?.kind);
    // Sampled every 20 ms while the mail was fetched, stored and routed. Before: many seconds to minutes.
    expect(latenciesMs.length).toBeGreaterThan(5);
    expect(Math.max(...latenciesMs)).toBeLessThan(1000);
  });
});
