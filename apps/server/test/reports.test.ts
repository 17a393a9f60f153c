import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationReport } from '@switchboard/shared';
import { sendWeeklyReports } from '../src/modules/reports/reports.jobs.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/mail-servers.js';
import type { ApiClient } from './support/api-client.js';

/*
 * Reports read a model the projector keeps from the outbox: conversations a customer starts, an
 * operator answers and resolves show up in the report, its exports and the weekly e-mail, per role and
 * per account.
 */

let t: TestApp;
let smtp: SmtpSink;
let accountId: string;
let channelId: string;
const clients: Record<string, ApiClient> = {};
const today = new Date().toISOString().slice(0, 10);
const range = `from=${today}&to=${today}`;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await startTestApp({
    env: { SMTP_URL: `smtp://${encodeURIComponent(smtp.user)}:${encodeURIComponent(smtp.password)}@${smtp.host}:${smtp.port}` },
  });
  accountId = (await t.owner.get('/api/auth/session')).body.user.accountId;
  for (const role of ['supervisor', 'agent'] as const) {
    const email = `${role}-reports@example.com`;
    const password = `${role}-password-long-enough`;
    await t.running.services.identity.addUser(accountId, { email, name: role === 'agent' ? 'Агент Смит' : 'Supervisor', password, role });
    clients[role] = t.anonymous();
    expect((await clients[role].login(email, password)).status).toBe(200);
  }

  const botToken = t.telegram.addBot();
  const channel = await t.owner.post('/api/channels', { type: 'telegram', name: 'Магазин', config: { botToken, mode: 'webhook' } });
  channelId = channel.body.id;
  for (const chatId of [7001, 7002, 7003]) {
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text: `Здравствуйте ${chatId}` }))).toBe(200);
  }
  const list = await eventually(async () => {
    const l = await t.owner.get('/api/conversations?status=all&limit=50');
    return l.body.items.length === 3 ? (l.body.items as { id: string }[]) : undefined;
  });
  // The agent answers two conversations and resolves one.
  for (const conv of list.slice(0, 2)) {
    expect((await clients.agent!.post(`/api/conversations/${conv.id}/messages`, { text: 'Добрый день!' })).status).toBe(201);
  }
  expect((await clients.agent!.patch(`/api/conversations/${list[0]!.id}`, { status: 'resolved' })).status).toBe(200);
});
afterAll(async () => {
  await t?.stop();
  await smtp?.stop();
});

const report = async (c: ApiClient = t.owner, q = range) => (await c.get<ConversationReport>(`/api/reports/conversations?${q}`)).body;

async function download(c: ApiClient, format: string, lang: string): Promise<Buffer> {
  const res = await fetch(`${t.url}/api/reports/conversations/export?${range}&format=${format}&lang=${lang}`, {
    headers: { cookie: c.cookie! },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('conversations report', () => {
  it('counts conversations, messages, replies, first response and resolution from the read model', async () => {
    const r = await eventually(async () => {
      const body = await report();
      return body.summary.conversations === 3 && body.summary.resolved === 1 && body.summary.operatorReplies === 2 ? body : undefined;
    }, 30_000);
    expect(r.summary).toMatchObject({ conversations: 3, resolved: 1, messagesIn: 3, operatorReplies: 2 });
    expect(r.summary.firstResponseMedian).toBeGreaterThanOrEqual(0);
    expect(r.summary.resolutionMedian).not.toBeNull();
    expect(r.previous).toMatchObject({ conversations: 0, from: expect.any(String) });
    expect(r.series).toEqual([expect.objectContaining({ period: today, messagesIn: 3, conversations: 3, resolved: 1 })]);
    expect(r.channels).toEqual([expect.objectContaining({ channelId, channelName: 'Магазин', conversations: 3, operatorReplies: 2 })]);
    expect(r.operators).toEqual([expect.objectContaining({ name: 'Агент Смит', replies: 2, conversations: 2, resolved: 1, csat: null })]);
    // Week buckets start on Monday.
    const weekly = await report(t.owner, `${range}&granularity=week`);
    expect(weekly.series).toHaveLength(1);
    expect(new Date(`${weekly.series[0]!.period}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('is for report readers only; settings change with account rights; other accounts see nothing of it', async () => {
    expect((await clients.supervisor!.get(`/api/reports/conversations?${range}`)).status).toBe(200);
    const refused = await clients.agent!.get(`/api/reports/conversations?${range}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.permission).toBe('report.read');
    const exportRefused = await clients.agent!.get(`/api/reports/conversations/export?${range}&format=csv`);
    expect(exportRefused.status).toBe(403);
    const settings = (await clients.supervisor!.get('/api/reports/settings')).body;
    expect((await clients.supervisor!.request('PUT', '/api/reports/settings', settings)).status).toBe(403);

    const other = await signInNewAccount(t, { email: 'other-reports@example.com', password: 'other-password-long-enough' });
    const theirs = await report(other);
    expect(theirs.summary.conversations).toBe(0);
    expect(theirs.channels).toEqual([]);
    expect((await other.get(`/api/reports/conversations?${range}&channelId=${channelId}`)).body.summary.conversations).toBe(0);
  });

  it('rejects a reversed or too long period', async () => {
    expect((await t.owner.get('/api/reports/conversations?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await t.owner.get('/api/reports/conversations?from=2024-01-01&to=2026-01-01')).status).toBe(400);
  });

  it('exports XLSX and PDF with the same figures, in Russian and English', async () => {
    await eventually(async () => (await report()).summary.resolved === 1, 30_000);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(t.owner, 'xlsx', 'ru')) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Итоги', 'По периодам', 'По каналам', 'Операторы']);
    const summary = book.getWorksheet('Итоги')!;
    const rows = summary.getSheetValues().filter(Boolean) as unknown[][];
    const conversations = rows.find((r) => r[1] === 'Диалогов');
    expect(conversations?.[2]).toBe('3');
    const operators = book.getWorksheet('Операторы')!.getSheetValues().filter(Boolean) as unknown[][];
    expect(operators.find((r) => r[1] === 'Агент Смит')?.slice(2, 5)).toEqual([2, 2, 1]);

    const pdf = await new PDFParse({ data: await download(t.owner, 'pdf', 'ru') }).getText();
    expect(pdf.text).toContain('Отчёт по диалогам');
    expect(pdf.text).toContain('Агент Смит');
    expect(pdf.text).toContain('Магазин');
    expect(pdf.text).toMatch(/Диалогов\s+3/);
    const en = await new PDFParse({ data: await download(t.owner, 'pdf', 'en') }).getText();
    expect(en.text).toContain('Conversations report');

    const csv = (await download(t.owner, 'csv', 'en')).toString('utf8');
    expect(csv).toContain('Conversations,3,0');
    expect(csv).toContain('Агент Смит,2,2,1');
  });

  it('counts times within business hours once the account sets them', async () => {
    const before = await report();
    const closed = { open: false, start: '09:00', end: '18:00' };
    const res = await t.owner.request('PUT', '/api/reports/settings', {
      timeZone: 'Europe/Moscow',
      businessHoursEnabled: true,
      week: Array(7).fill(closed),
      weeklyReport: true,
    });
    expect(res.status).toBe(200);
    // Closed all week: no working time passes between a question and its answer.
    const after = await eventually(async () => {
      const r = await report();
      return r.businessHours && r.summary.firstResponseMedian === 0 && r.summary.resolutionMedian === 0 ? r : undefined;
    }, 30_000);
    expect(after.timeZone).toBe('Europe/Moscow');
    expect(after.summary.conversations).toBe(before.summary.conversations);
    expect((await t.owner.get('/api/reports/settings')).body).toMatchObject({ timeZone: 'Europe/Moscow', weeklyReport: true });
    const bad = await t.owner.request('PUT', '/api/reports/settings', {
      ...(await t.owner.get('/api/reports/settings')).body,
      timeZone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
  });

  it('e-mails the weekly report with the PDF to the managers, once a week', async () => {
    const nextWeek = new Date(Date.now() + 7 * 86_400_000);
    const before = smtp.received.length;
    expect(await sendWeeklyReports(t.running.ctx, nextWeek)).toBeGreaterThan(0);
    const mails = smtp.received.slice(before);
    const toOwner = mails.find((m) => m.to.includes('owner@example.com'))!;
    expect(toOwner.parsed.subject).toMatch(/Отчёт по диалогам|Conversations report/);
    expect(toOwner.parsed.text).toMatch(/Диалогов: 3|Conversations: 3/);
    expect(toOwner.parsed.attachments[0]?.contentType).toBe('application/pdf');
    const pdf = await new PDFParse({ data: toOwner.parsed.attachments[0]!.content }).getText();
    expect(pdf.text).toMatch(/Отчёт по диалогам|Conversations report/);
    expect(mails.some((m) => m.to.includes('supervisor-reports@example.com'))).toBe(true);
    expect(mails.some((m) => m.to.includes('agent-reports@example.com'))).toBe(false);
    // Not again the same week.
    expect(await sendWeeklyReports(t.running.ctx, nextWeek)).toBe(0);
  });
});
