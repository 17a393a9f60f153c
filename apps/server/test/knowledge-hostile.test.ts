import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocumentInThread } from '../src/modules/knowledge/parsing/knowledge.parse.sandbox.js';
import { assertPdfInflatesWithin } from '../src/modules/knowledge/parsing/parse.pdf-streams.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { SYSTEM_ROLES } from '@switchboard/shared';
import { healthLatencyDuring } from './support/health-sampler.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

const articleCount = async () => (await t.owner.get('/api/knowledge/articles?limit=200')).body.items.length as number;

/** The worst delay of `GET /health` while `work` runs (see healthLatencyDuring). */
async function worstHealthDelay<T>(work: () => Promise<T>): Promise<{ result: T; worstMs: number }> {
  const { result, latenciesMs } = await healthLatencyDuring(t.url, work);
  return { result, worstMs: Math.max(0, ...latenciesMs) };
}

/**
 * A one-page PDF whose FlateDecode content stream shows `megabytes` MB of text lines (it compresses ~300:1).
 * `dictionary` writes the stream's dictionary (the ways a filter can be hidden from a reader of that text);
 * `extra` adds objects from number 6 on (an indirect /Filter's target).
 */
function inflatingPdf(
  megabytes: number,
  dictionary = (length: number) => `<< /Length ${length} /Filter /FlateDecode >>`,
  extra: string[] = [],
): Buffer {
  const line = '(All work and no play makes Jack a dull boy) Tj T*\n';
  const content = Buffer.concat([
    Buffer.from('BT /F1 12 Tf 14 TL 40 700 Td\n'),
    Buffer.alloc(megabytes * 1024 * 1024, line),
    Buffer.from('\nET'),
  ]);
  const stream = deflateSync(content, { level: 9 });
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: string | Buffer) => {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    parts.push(bytes);
    length += bytes.length;
  };
  const object = (n: number, ...body: (string | Buffer)[]) => {
    offsets.push(length);
    push(`${n} 0 obj\n`);
    body.forEach(push);
    push('\nendobj\n');
  };
  push('%PDF-1.4\n');
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>');
  object(4, `${dictionary(stream.length)}\nstream\n`, stream, '\nendstream');
  object(5, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  extra.forEach((body, i) => object(6 + i, body));
  const xref = length;
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const size = offsets.length + 1;
  push(`xref\n0 ${size}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/** Stream dictionaries that hide /FlateDecode from a check of the dictionary's text; pdf.js inflates each all the same. */
const hiddenFilters: [string, (length: number) => string, string[]][] = [
  ['a name escape (/Flate#44ecode)', (n) => `<< /Length ${n} /Filter /Flate#44ecode >>`, []],
  ['an indirect /Filter', (n) => `<< /Length ${n} /Filter 6 0 R >>`, ['/FlateDecode']],
  ['the word obj after the filter', (n) => `<< /Length ${n} /Filter /FlateDecode /Note (obj) >>`, []],
  ['a dictionary longer than 4 KB', (n) => `<< /Length ${n} /Filter /FlateDecode /Note (${'x'.repeat(5000)}) >>`, []],
  ['a false /Subtype /Image', (n) => `<< /Length ${n} /Subtype /Image /Filter /FlateDecode >>`, []],
];

describe('hostile knowledge-base files', () => {
  it('refuses 200,000 nested <div>s as too complex, stores nothing, and /health keeps answering meanwhile', async () => {
    const before = await articleCount();
    const html = `<html><body>${'<div>'.repeat(200_000)}Deep text${'</div>'.repeat(200_000)}</body></html>`;
    const { result: res, worstMs } = await worstHealthDelay(() =>
      t.owner.upload('/api/knowledge/documents', { name: 'deep.html', content: html, type: 'text/html' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('document_too_complex');
    expect(res.body.error.message).toMatch(/200 levels/);
    expect(await articleCount()).toBe(before);
    expect(worstMs).toBeLessThan(1000);
  });

  it('refuses a PDF whose text stream inflates past 50 MB, stores nothing, and /health keeps answering meanwhile', async () => {
    const before = await articleCount();
    const pdf = inflatingPdf(60);
    expect(pdf.length).toBeLessThan(1024 * 1024);
    const { result: res, worstMs } = await worstHealthDelay(() =>
      t.owner.upload('/api/knowledge/documents', { name: 'bomb.pdf', content: pdf }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('document_too_large');
    expect(await articleCount()).toBe(before);
    expect(worstMs).toBeLessThan(1000);
  });

  it.each(hiddenFilters)('counts a stream whose filter is hidden by %s, and refuses it as too large', async (_, dictionary, extra) => {
    await expect(assertPdfInflatesWithin(inflatingPdf(60, dictionary, extra))).rejects.toMatchObject({ code: 'document_too_large' });
  });

  it('refuses an upload whose content stream claims to be an image before pdf.js inflates it', async () => {
    const [, dictionary, extra] = hiddenFilters.find(([name]) => name.includes('Image'))!;
    const res = await t.owner.upload('/api/knowledge/documents', { name: 'image.pdf', content: inflatingPdf(60, dictionary, extra) });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'document_too_large', message: expect.stringMatching(/unpacks to more than 50 MB/) });
  });

  it('lets a PDF whose streams stay within the budget through', async () => {
    await expect(assertPdfInflatesWithin(inflatingPdf(1))).resolves.toBeUndefined();
  });

  it('a parse past its deadline is stopped and refused as too complex; the next file is read normally', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `Paragraph ${i} says something about returns and delivery.`).join('\n\n');
    const slow = readDocumentInThread({ content: Buffer.from(text), fileName: 'long.txt', mimeType: 'text/plain' }, { timeoutMs: 20 });
    await expect(slow).rejects.toMatchObject({ code: 'document_too_complex' });
    const next = await readDocumentInThread({
      content: Buffer.from('# Returns\n\nWithin 14 days.'),
      fileName: 'ok.md',
      mimeType: undefined,
    });
    expect(next.chunks.map((c) => c.text)).toEqual(['Within 14 days.']);
  });

  it('stores nothing when the client has given up before the parse finished', async () => {
    const before = await articleCount();
    const me = (await t.owner.get('/api/auth/session')).body.user;
    const actor = {
      userId: me.id,
      accountId: me.accountId,
      role: 'owner' as const,
      permissions: new Set(SYSTEM_ROLES.owner),
      via: 'session' as const,
    };
    const gone = new AbortController();
    const upload = t.running.services.knowledge.uploadDocument(actor, {
      buffer: Buffer.from('# Delivery\n\nWe deliver within three days.'),
      fileName: 'delivery.md',
      mimeType: 'text/markdown',
      published: true,
      category: null,
      signal: gone.signal,
    });
    gone.abort();
    await expect(upload).rejects.toMatchObject({ code: 'bad_request' });
    expect(await articleCount()).toBe(before);
  });

  it('a file just over 20 MB is 413, not a corrupt file', async () => {
    const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(21_000_000 - 9, 'a')]);
    const res = await t.owner.upload('/api/knowledge/documents', { name: 'big.pdf', content });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('a multipart body cut short is 400, not 500', async () => {
    const res = await fetch(`${t.url}/api/knowledge/documents`, {
      method: 'POST',
      headers: {
        cookie: t.owner.cookie!,
        'x-csrf-token': t.owner.csrfToken!,
        'content-type': 'multipart/form-data; boundary=cut',
      },
      body: '--cut\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhalf a fi',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('a category longer than 100 characters is refused and nothing is stored', async () => {
    const before = await articleCount();
    const file = { name: 'note.txt', content: 'Opening hours: 9 to 18.' };
    const res = await t.owner.upload('/api/knowledge/documents', file, { category: 'x'.repeat(101) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'category' } });
    expect(await articleCount()).toBe(before);
    const ok = await t.owner.upload('/api/knowledge/documents', file, { category: ` ${'x'.repeat(100)} ` });
    expect(ok.status).toBe(201);
    expect(ok.body.category).toBe('x'.repeat(100));
  });
});
