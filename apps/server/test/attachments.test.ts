import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveEmail } from '../src/modules/channels/email/email.receive.js';
import { conversationReader } from './support/conversations.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { emailChannelConfig, startDovecot, startSmtpSink, type Dovecot, type SmtpSink } from './support/mail-servers.js';

/*
 * Customer files are served from our origin: whatever a sender declares, nothing they send may run there
 * as a page or a script (an `invoice.html` that loads a "JavaScript" part of the same e-mail would act as
 * the operator who opened it). Only bytes that really are a passive image, audio or video show inline.
 */

let t: TestApp;
let mailboxes = 0;
let dovecot: Dovecot;
let smtp: SmtpSink;
const { conversationOf, messages } = conversationReader(() => t.owner);

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';
const CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
  t = await startTestApp({ roles: 'api,worker' });
});
afterAll(async () => {
  await t?.stop();
  await smtp?.stop();
  await dovecot?.stop();
});

/** An e-mail channel (no poll loop in this app: mail is handed to it as the poller would). */
async function emailChannel() {
  const folder = `Files${++mailboxes}`;
  await dovecot.createMailbox(folder);
  const res = await t.owner.post('/api/channels', {
    type: 'email',
    name: `Mail ${folder}`,
    config: emailChannelConfig(dovecot, smtp, folder),
  });
  expect(res.status).toBe(201);
  const { rows } = await t.running.ctx.pool.query<{ account_id: string }>('select account_id from channels where id = $1', [res.body.id]);
  const loaded = await t.running.ctx.channels.load(rows[0]!.account_id, res.body.id as string);
  return loaded!.record;
}

async function download(path: string) {
  const res = await fetch(`${t.url}${path}`, { headers: { cookie: t.owner.cookie! } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('customer attachments', () => {
  it('serves active content as an opaque download and shows only detected passive images inline', async () => {
    const channel = await emailChannel();
    const raw = await new MailComposer({
      from: 'Mallory <mallory@customer.test>',
      to: 'support@shop.test',
      subject: 'Invoice',
      text: 'Please find the invoice attached',
      attachments: [
        { filename: 'invoice.html', content: '<script src="1"></script>', contentType: 'text/html' },
        { filename: '1', content: 'fetch("/api/users", { method: "POST" })', contentType: 'application/javascript' },
        { filename: 'photo.html', content: PNG, contentType: 'text/html' },
        { filename: 'logo.svg', content: SVG, contentType: 'image/svg+xml' },
      ],
    })
      .compile()
      .build();
    expect(await receiveEmail(t.running.ctx, channel, raw, new Date())).toBe('stored');
    const conv = await conversationOf(channel.id, 'mallory@customer.test');
    const [message] = await messages(conv.id);
    const url = (i: number) => `/api/conversations/${conv.id}/messages/${message!.id}/attachments/${i}`;

    for (const [i, name] of [
      [0, 'invoice.html'],
      [1, '1'],
      [3, 'logo.svg'],
    ] as const) {
      const { res } = await download(url(i));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe(CSP);
    }

    const png = await download(url(2));
    expect(png.res.status).toBe(200);
    expect(png.res.headers.get('content-type')).toBe('image/png');
    expect(png.res.headers.get('content-disposition')).toBe('inline; filename="photo.html"');
    expect(png.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(png.res.headers.get('content-security-policy')).toBe(CSP);
    expect(png.bytes.equals(PNG)).toBe(true);
  });

  it('offers a non-ASCII file name for saving in both forms (RFC 6266 / 5987)', async () => {
    const channel = await emailChannel();
    const raw = await new MailComposer({
      from: 'ivan@customer.test',
      to: 'support@shop.test',
      subject: 'Акт',
      text: 'Акт во вложении',
      attachments: [{ filename: 'акт сверки.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n'), contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    await receiveEmail(t.running.ctx, channel, raw, new Date());
    const conv = await conversationOf(channel.id, 'ivan@customer.test');
    const [message] = await messages(conv.id);
    const { res } = await download(`/api/conversations/${conv.id}/messages/${message!.id}/attachments/0`);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="??? ??????.pdf"; filename*=UTF-8''${encodeURIComponent('акт сверки.pdf')}`,
    );
  });
});
