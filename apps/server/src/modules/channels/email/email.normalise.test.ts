import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, normaliseEmail } from './email.normalise.js';

const at = new Date('2026-01-01T10:00:00Z');

async function normalise(raw: string) {
  const source = Buffer.from(raw.replace(/\n/g, '\r\n'));
  return normaliseEmail(await simpleParser(source, { keepDeliveryStatus: true }), source, at);
}

const message = (headers: string, body = 'Hello') => `${headers}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n${body}\n`;

describe('normaliseEmail', () => {
  it('answers the Reply-To address, joins the thread of what it answers and keeps the subject', async () => {
    const got = await normalise(
      message(
        [
          'From: Web form <noreply@forms.test>',
          'Reply-To: "Олег" <Oleg@Customer.test>',
          'Subject: Re: Заказ',
          'Message-ID: <3@customer.test>',
          'In-Reply-To: <2@shop.test>',
          'References: <1@customer.test> <2@shop.test>',
          'Date: Thu, 01 Jan 2026 09:00:00 +0000',
        ].join('\n'),
      ),
    );
    expect(got.kind).toBe('message');
    if (got.kind !== 'message') return;
    expect(got.automated).toBeNull();
    expect(got.inbound).toMatchObject({
      externalId: '<3@customer.test>',
      chatId: 'oleg@customer.test',
      contact: { externalId: 'oleg@customer.test', name: 'Олег', username: null },
      text: 'Hello',
      threadKey: '<1@customer.test>',
      threadRefs: ['<2@shop.test>', '<1@customer.test>'],
      context: {
        kind: 'email',
        subject: 'Re: Заказ',
        lastMessageId: '<3@customer.test>',
        references: ['<1@customer.test>', '<2@shop.test>'],
      },
      sentAt: new Date('2026-01-01T09:00:00Z'),
    });
  });

  it('a message without a Message-ID gets a stable id from its source, and starts its own thread', async () => {
    const raw = message('From: a@customer.test\nSubject: Hi');
    const [one, two] = [await normalise(raw), await normalise(raw)];
    if (one.kind !== 'message' || two.kind !== 'message') throw new Error('expected messages');
    expect(one.inbound.externalId).toMatch(/^<[0-9a-f]{40}@no-message-id>$/);
    expect(two.inbound.externalId).toBe(one.inbound.externalId);
    expect(one.inbound.threadKey).toBe(one.inbound.externalId);
  });

  it('tells out-of-office replies, automatic notices and mailing lists apart', async () => {
    expect((await normalise(message('From: a@c.test\nAuto-Submitted: auto-replied\nSubject: Away'))).kind).toBe('auto_reply');
    expect((await normalise(message('From: a@c.test\nX-Autoreply: yes\nSubject: Away'))).kind).toBe('auto_reply');
    const notice = await normalise(message('From: a@c.test\nAuto-Submitted: auto-generated; type=notice\nSubject: Notice'));
    expect(notice).toMatchObject({ kind: 'message', automated: 'auto-submitted: auto-generated' });
    const list = await normalise(message('From: a@c.test\nList-Id: <news.c.test>\nSubject: News'));
    expect(list).toMatchObject({ kind: 'message', automated: 'mailing list' });
    expect(await normalise(message('From: a@c.test\nAuto-Submitted: no\nSubject: Hi'))).toMatchObject({ automated: null });
  });

  it('reads a bounce: which of our messages failed and why; a delay report is not a failure', async () => {
    const dsn = (action: string) =>
      [
        'From: MAILER-DAEMON@mx.test',
        'Subject: Undelivered Mail',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Sorry.',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.test',
        '',
        `Action: ${action}`,
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 No such user',
        '--b',
        'Content-Type: text/rfc822-headers',
        '',
        'Message-ID: <ours@shop.test>',
        '--b--',
        '',
      ].join('\n');
    expect(await normalise(dsn('failed'))).toMatchObject({
      kind: 'bounce',
      originalMessageId: '<ours@shop.test>',
      failed: true,
      reason: 'Bounced: 550 5.1.1 No such user',
    });
    expect(await normalise(dsn('delayed'))).toMatchObject({ kind: 'bounce', failed: false });
  });

  it('converts HTML-only mail to text', async () => {
    const got = await normalise(
      'From: a@c.test\nSubject: Hi\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<p>Hello <b>there</b></p><p><a href="https://x.test">link</a></p>\n',
    );
    expect(got.kind === 'message' && got.inbound.text).toBe('Hello there\n\nlink [https://x.test]');
  });

  it('skips an attachment over the size limit with a note, keeping the rest of the message', () => {
    const big = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1);
    const small = Buffer.from('%PDF');
    const parsed = {
      attachments: [
        { type: 'attachment', contentType: 'video/mp4', filename: 'big.mp4', content: big, headers: new Map(), partId: '2' },
        { type: 'attachment', contentType: 'application/pdf', filename: 'a.pdf', content: small, headers: new Map(), partId: '3' },
      ],
      headers: new Map(),
      headerLines: [],
      from: { value: [{ name: '', address: 'a@c.test' }], html: '', text: '' },
      text: 'Two files',
      messageId: '<m@c.test>',
    } as unknown as Parameters<typeof normaliseEmail>[0];
    const got = normaliseEmail(parsed, Buffer.from(''), at);
    if (got.kind !== 'message') throw new Error('expected a message');
    expect(got.inbound.text).toMatch(/^Two files\n\n\[Attachment "big\.mp4" \(20\.0 MB\) was not kept: larger than 20\.0 MB/);
    expect(got.inbound.attachments).toEqual([
      { kind: 'document', fileId: got.files[0]!.id, fileName: 'a.pdf', mimeType: 'application/pdf', size: 4 },
    ]);
    expect(got.files).toHaveLength(1);
  });
});
