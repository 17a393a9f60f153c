import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGreenApi } from './fakes/green-api.js';
import { FakeOpenAi } from './fakes/openai.js';
import { WebhookReceiver } from './fakes/webhook-receiver.js';
import type { ApiClient } from './support/api-client.js';
import { freePort } from './support/global-setup.js';
import { signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { emailChannelConfig, startDovecot, startSmtpSink, type Dovecot, type SmtpSink } from './support/mail-servers.js';

/*
 * The outbound URL policy through the real server. `strict` runs as production would (nothing
 * allow-listed); `listed` allow-lists 127.0.0.1 like every other test app, so its loopback fakes
 * stand in for real receivers and providers.
 */

let strict: TestApp;
let listed: TestApp;
let receiver: WebhookReceiver;
let green: FakeGreenApi;
let llm: FakeOpenAi;
let otherLlm: FakeOpenAi;
let db: pg.Client;
let seq = 0;

const FAQ = { kind: 'faq', question: 'How long does a refund take?', answer: 'Refunds reach your card within 5 business days.' };

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  green = await new FakeGreenApi().start();
  llm = await new FakeOpenAi().start();
  otherLlm = await new FakeOpenAi().start();
  otherLlm.apiKey = 'sk-other-key';
  strict = await startTestApp({ env: { OUTBOUND_ALLOWLIST: '', WEBHOOK_TIMEOUT_MS: '3000' } });
  listed = await startTestApp({ env: { GREENAPI_API_ROOT: green.url, WEBHOOK_TIMEOUT_MS: '3000' } });
  db = new pg.Client({ connectionString: strict.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await strict?.stop();
  await listed?.stop();
  await Promise.all([receiver?.stop(), green?.stop(), llm?.stop(), otherLlm?.stop()]);
});

const LOOPBACK_AND_METADATA = [
  'https://127.1/hook',
  'https://2130706433/hook',
  'https://0x7f.0.0.1/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[::1]/hook',
  'https://0.0.0.0/hook',
  'https://localhost/hook', // a name that resolves to loopback
  'https://169.254.169.254/latest/meta-data/iam/',
  'https://metadata.google.internal/computeMetadata/v1/',
  'https://10.0.0.5/hook',
  'https://192.168.1.10/hook',
  'https://100.64.0.1/hook',
];

describe('outbound URL policy', () => {
  it('refuses loopback in every spelling, metadata and private hosts when a webhook or callback is saved', async () => {
    for (const url of LOOPBACK_AND_METADATA) {
      const res = await strict.owner.post('/api/webhooks', { url, events: ['message.created'] });
      expect({ url, status: res.status, code: res.body.error?.code }).toEqual({ url, status: 422, code: 'url_not_allowed' });
    }
    const ep = await strict.owner.post('/api/webhooks', { url: 'https://hooks.example.invalid/in', events: ['message.created'] });
    expect(ep.status).toBe(201); // a name that does not resolve yet is not refused (its calls say dns_failed)
    const moved = await strict.owner.patch(`/api/webhooks/${ep.body.id}`, { url: 'https://[::ffff:169.254.169.254]/' });
    expect(moved.status).toBe(422);
    for (const callbackUrl of ['https://127.1/cb', 'https://metadata.google.internal/cb', 'https://172.16.0.9/cb']) {
      const res = await strict.owner.post('/api/channels', { type: 'api', name: `Site ${++seq}`, config: { callbackUrl } });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('url_not_allowed');
      expect(res.body.error.details[0].path).toBe('/config/callbackUrl');
    }
  });

  it('refuses at send time too: an endpoint stored before the policy is blocked and its receiver sees nothing', async () => {
    const ep = await strict.owner.post('/api/webhooks', { url: 'https://hooks.example.invalid/in', events: ['message.created'] });
    const [port] = receiver.url.split(':').slice(-1);
    await db.query('update webhook_endpoints set url = $1 where id = $2', [`http://127.1:${port}/legacy`, ep.body.id]);
    const ping = await strict.owner.post(`/api/webhooks/${ep.body.id}/ping`);
    expect(ping.body).toMatchObject({ status: 'dead', lastStatusCode: null });
    expect(ping.body.lastError).toMatch(/^blocked_address: 127\.0\.0\.1 is a loopback address/);
    expect(receiver.at('/legacy')).toHaveLength(0);
  });

  it('a ping reports the status only, never the body an internal service answered', async () => {
    receiver.script('/internal', [500]);
    const ep = await listed.owner.post('/api/webhooks', { url: `${receiver.url}/internal`, events: ['message.created'] });
    expect(ep.status).toBe(201);
    const ping = await listed.owner.post(`/api/webhooks/${ep.body.id}/ping`);
    expect(ping.body).toMatchObject({ status: 'dead', lastStatusCode: 500, lastError: 'http_500: answered HTTP 500' });
    expect(JSON.stringify(ping.body)).not.toContain('receiver says');
  });

  it('an open port that speaks another protocol and a closed port give the same error', async () => {
    const sockets: net.Socket[] = [];
    const ssh = net.createServer((socket) => void sockets.push(socket.end('SSH-2.0-OpenSSH_9.2p1 Debian\r\n')));
    await new Promise<void>((resolve) => ssh.listen(0, '127.0.0.1', resolve));
    const closed = await freePort();
    try {
      const errors: unknown[] = [];
      for (const port of [(ssh.address() as AddressInfo).port, closed]) {
        const ep = await listed.owner.post('/api/webhooks', { url: `http://127.0.0.1:${port}/`, events: ['message.created'] });
        const ping = await listed.owner.post(`/api/webhooks/${ep.body.id}/ping`);
        errors.push([ping.body.lastStatusCode, ping.body.lastError]);
      }
      expect(errors[0]).toEqual(errors[1]);
      expect(errors[0]).toEqual([null, expect.stringMatching(/^connect_failed: /)]);
    } finally {
      ssh.close();
      for (const s of sockets) s.destroy();
    }
  });
});

describe('LLM base URL', () => {
  const settings = (client: ApiClient, body: Record<string, unknown>) => client.request('PUT', '/api/ai/settings', body);

  it('refuses file: and metadata URLs; a new server needs the key again, and the old key never reaches it', async () => {
    const bad = await settings(listed.owner, { llm: { baseUrl: 'file:///etc/passwd' } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    const metadata = await settings(listed.owner, { llm: { baseUrl: 'http://169.254.169.254/' } });
    expect([metadata.status, metadata.body.error.code]).toEqual([422, 'url_not_allowed']);
    expect((await settings(strict.owner, { llm: { baseUrl: `${llm.url}` } })).body.error.code).toBe('url_not_allowed');

    const set = { answerMode: 'llm', llmApiKey: llm.apiKey, llm: { baseUrl: llm.url, chatModel: 'fake-chat', timeoutMs: 2000 } };
    expect((await settings(listed.owner, set)).status).toBe(200);
    const moved = await settings(listed.owner, { llm: { baseUrl: otherLlm.url } });
    expect([moved.status, moved.body.error.code, moved.body.error.details[0].path]).toEqual([422, 'credential_required', '/llmApiKey']);
    expect((await settings(listed.owner, { llm: { baseUrl: `${llm.url}/` } })).status).toBe(200); // same server
    expect((await listed.owner.get('/api/ai/settings')).body.llm.baseUrl).toBe(`${llm.url}/`);

    // The key went nowhere new: the other server saw no request at all.
    expect((await listed.owner.post('/api/knowledge/articles', FAQ)).status).toBe(201);
    expect((await listed.owner.post('/api/ai/test', { query: FAQ.question })).status).toBe(200);
    expect(llm.chats.length).toBeGreaterThan(0); // the configured server is used
    expect(otherLlm.chats).toHaveLength(0);
    expect((await settings(listed.owner, { llm: { baseUrl: otherLlm.url }, llmApiKey: otherLlm.apiKey })).status).toBe(200);
  });

  it('a base URL stored before the policy is refused when called: the stored key is not sent to loopback', async () => {
    const email = `llm${++seq}@example.com`;
    const owner = await signInNewAccount(strict, { email, password: 'llm-owner-password-1' });
    const { rows } = await db.query<{ account_id: string }>(
      'select m.account_id from users u join memberships m on m.user_id = u.id where u.email = $1',
      [email],
    );
    const accountId = rows[0]!.account_id;
    const sealed = strict.running.ctx.secrets.seal(llm.apiKey);
    const stored = { answerMode: 'llm', llm: { baseUrl: llm.url, chatModel: 'fake-chat', embeddingModel: null, timeoutMs: 2000 } };
    await db.query('insert into ai_settings (account_id, settings, llm_api_key) values ($1, $2, $3)', [accountId, stored, sealed]);
    expect((await owner.post('/api/knowledge/articles', FAQ)).status).toBe(201);
    const before = llm.chats.length;
    const res = await owner.post('/api/ai/test', { query: FAQ.question });
    expect(res.status).toBe(200);
    expect(res.body.decision.mode).toBe('llm');
    expect(res.body.decision.reason).toBe('llm_failed');
    expect(llm.chats.length).toBe(before);
  });
});

describe('credentials follow their host', () => {
  it('Green-API: a new apiUrl without the token is credential_required and the new host hears nothing', async () => {
    const i = green.addInstance();
    const created = await listed.owner.post('/api/channels', {
      type: 'green_api',
      name: 'Green',
      config: { idInstance: i.idInstance, apiTokenInstance: i.apiTokenInstance },
    });
    expect(created.status).toBe(201);
    const before = receiver.received.length;
    const moved = await listed.owner.patch(`/api/channels/${created.body.id}`, { config: { apiUrl: `${receiver.url}/green` } });
    expect([moved.status, moved.body.error.code, moved.body.error.details[0].path]).toEqual([
      422,
      'credential_required',
      '/config/apiTokenInstance',
    ]);
    expect(receiver.received.slice(before)).toHaveLength(0);
    expect(JSON.stringify(receiver.received)).not.toContain(i.apiTokenInstance);
    // The same host spelled out is no move; a refused host is refused even with the token.
    expect((await listed.owner.patch(`/api/channels/${created.body.id}`, { config: { apiUrl: green.url } })).status).toBe(200);
    const metadata = await listed.owner.patch(`/api/channels/${created.body.id}`, {
      config: { apiUrl: 'http://169.254.169.254', apiTokenInstance: i.apiTokenInstance },
    });
    expect([metadata.status, metadata.body.error.code]).toEqual([422, 'url_not_allowed']);
  });

  describe('e-mail', () => {
    let dovecot: Dovecot;
    let smtp: SmtpSink;
    beforeAll(async () => {
      dovecot = await startDovecot();
      smtp = await startSmtpSink();
    });
    afterAll(async () => {
      await smtp?.stop();
      await dovecot?.stop();
    });

    const config = (overrides: Record<string, unknown> = {}) => emailChannelConfig(dovecot, smtp, 'INBOX', overrides);

    it('refuses mail servers on refused addresses before connecting', async () => {
      for (const [app, overrides, path] of [
        [strict, { imapHost: '127.1' }, '/config/imapHost'],
        [listed, { smtpHost: '169.254.169.254' }, '/config/smtpHost'],
        [listed, { imapHost: 'metadata.google.internal' }, '/config/imapHost'],
      ] as const) {
        const res = await app.owner.post('/api/channels', { type: 'email', name: `Mail ${++seq}`, config: config(overrides) });
        expect([res.status, res.body.error.code, res.body.error.details[0].path]).toEqual([422, 'url_not_allowed', path]);
      }
    });

    it('a new IMAP or SMTP host without its password is credential_required', async () => {
      const created = await listed.owner.post('/api/channels', { type: 'email', name: 'Mail', config: config() });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const smtpMoved = await listed.owner.patch(`/api/channels/${id}`, { config: { smtpHost: 'localhost' } });
      expect([smtpMoved.status, smtpMoved.body.error.code]).toEqual([422, 'credential_required']);
      expect(smtpMoved.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/config/smtpPassword']);
      const both = await listed.owner.patch(`/api/channels/${id}`, { config: { imapHost: 'localhost', smtpHost: 'localhost' } });
      expect(both.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/config/imapPassword', '/config/smtpPassword']);
      // With the password the move is made (and checked against the server).
      const ok = await listed.owner.patch(`/api/channels/${id}`, { config: { smtpHost: 'localhost', smtpPassword: smtp.password } });
      expect(ok.status).toBe(200);
      expect(ok.body.config.smtpHost).toBe('localhost');
    });
  });
});
