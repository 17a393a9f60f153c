import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver, type ReceivedSpan } from './fakes/otlp-receiver.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';
import { createLogger } from '../src/platform/logging.js';
import { inSpan } from '../src/platform/tracing.js';
import { safePath } from '../src/platform/tracing.outbound.js';

let t: TestApp;
let otlp: OtlpReceiver;
let botToken: string;

const QUESTION = 'сколько стоит доставка по москве?';
const ANSWER = 'Доставка по Москве стоит 300 рублей.';

beforeAll(async () => {
  otlp = await new OtlpReceiver().start();
  t = await startTestApp({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'switchboard-test' } });
  botToken = t.telegram.addBot();
  const ch = await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Shop',
    config: { botToken, mode: 'webhook', assistant: { enabled: true } },
  });
  expect(ch.status).toBe(201);
  const faq = await t.owner.post('/api/knowledge/articles', { kind: 'faq', question: 'Сколько стоит доставка по Москве?', answer: ANSWER });
  expect(faq.status).toBe(201);
});
afterAll(async () => {
  await t?.stop();
  await otlp?.stop();
});

const inTrace = (traceId: string) => otlp.spans.filter((s) => s.traceId === traceId);

describe('tracing (OTLP/HTTP)', () => {
  it('follows one customer message in one trace: webhook → inbound job → send job → the Telegram API call', async () => {
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 4242, text: QUESTION }))).toBe(200);
    await eventually(() => t.telegram.sent.some((m) => m.chatId === '4242'), 15_000, 'the bot answer sent');

    const webhook = await eventually(
      () => otlp.spans.find((s) => s.attributes['http.route'] === '/webhooks/telegram/:channelId'),
      15_000,
      'the webhook span',
    );
    expect(webhook.name).toBe('POST /webhooks/telegram/:channelId');
    expect(webhook.kind).toBe(2); // SERVER
    expect(webhook.parentSpanId).toBe('');
    expect(webhook.service).toBe('switchboard-test');
    expect(webhook.attributes['http.response.status_code']).toBe(200);

    const send = await eventually(
      () => inTrace(webhook.traceId).find((s) => s.kind === 3 && s.attributes['url.path'] === '/bot[redacted]/sendMessage'),
      15_000,
      'the provider call span in the webhook trace',
    );
    const spans = inTrace(webhook.traceId);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestry = (s: ReceivedSpan): string[] => {
      const names: string[] = [];
      for (let cur: ReceivedSpan | undefined = s; cur; cur = byId.get(cur.parentSpanId)) names.push(cur.name);
      return names;
    };
    // The Telegram call is a descendant of the send job, of the inbound job and of the webhook request.
    expect(ancestry(send)).toEqual(
      expect.arrayContaining(['job message.send', 'job message.inbound', 'POST /webhooks/telegram/:channelId']),
    );
    expect(send.attributes['http.response.status_code']).toBe(200);
    expect(send.attributes['server.address']).toBe('127.0.0.1');
    // The webhook's insert and the jobs' queries are database spans of the same trace, with SQL but no values.
    const db = spans.filter((s) => s.attributes['db.system.name'] === 'postgresql');
    expect(db.length).toBeGreaterThan(3);
    expect(db.some((s) => String(s.attributes['db.query.text']).includes('$1'))).toBe(true);
    // Nothing the customer wrote, nor the bot token, is on any span.
    const everything = JSON.stringify(otlp.spans);
    expect(everything).not.toContain(botToken);
    expect(everything).not.toContain(QUESTION);
    expect(everything).not.toContain(ANSWER);
    expect(otlp.requests[0]!.contentType).toContain('application/json');
  });

  it('records a failed request as an error span, and ignores untraced background work', async () => {
    const res = await t.anonymous().post(`/webhooks/telegram/00000000-0000-4000-8000-000000000000`, { update_id: 1 });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const span = await eventually(
      () =>
        otlp.spans.find(
          (s) => s.attributes['http.route'] === '/webhooks/telegram/:channelId' && s.attributes['http.response.status_code'] === res.status,
        ),
      10_000,
      'the refused webhook span',
    );
    expect(span.parentSpanId).toBe('');
    // pg-boss polls constantly; none of its queries starts a trace of its own.
    expect(otlp.spans.filter((s) => s.parentSpanId === '' && s.attributes['db.system.name'])).toEqual([]);
  });

  it('continues a caller’s traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${t.url}/health`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);
    const span = await eventually(() => otlp.spans.find((s) => s.traceId === traceId), 10_000, 'the continued span');
    expect(span.parentSpanId).toBe('00f067aa0ba902b7');
    expect(span.name).toBe('GET /health');
  });

  it('puts the trace id on every log line written inside a trace, and none outside', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        cb();
      },
    });
    const log = createLogger('info', sink);
    let ids: { traceId: string; spanId: string } | undefined;
    await inSpan('unit of work', {}, async (span) => {
      ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      log.info('inside');
      await new Promise((r) => setTimeout(r, 5));
      log.child({ part: 'child' }).warn('after an await, from a child logger');
    });
    log.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', ...ids });
    expect(lines[1]).toMatchObject({ msg: 'after an await, from a child logger', ...ids });
    expect(lines[2]!.traceId).toBeUndefined();
  });

  it('blanks token-like path segments of outbound calls', () => {
    expect(safePath('/bot123456:AAE-secret_token/sendMessage?chat_id=1')).toBe('/bot[redacted]/sendMessage');
    expect(safePath('/waInstance1101/sendMessage/0f1e2d3c4b5a69788796a5b4c3d2e1f0aa')).toBe('/waInstance1101/sendMessage/[redacted]');
    expect(safePath('/v21.0/1234567890/messages')).toBe('/v21.0/1234567890/messages');
    expect(safePath('/api/3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b/items')).toBe('/api/3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b/items');
  });
});
