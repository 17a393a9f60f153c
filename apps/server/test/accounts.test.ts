import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ApiClient } from './support/api-client.js';
import { eventually, OWNER, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

/** Takes the new session cookie a response set (switch-account rotates the session). */
function adoptSession(client: ApiClient, res: { headers: Headers; body: { csrfToken?: string } }): void {
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('sb_session='));
  if (cookie) client.cookie = cookie;
  if (res.body.csrfToken) client.csrfToken = res.body.csrfToken;
}

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(t: TestApp, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: t.databaseUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

describe('many accounts: switching, the platform cabinet, suspension, limits', () => {
  let t: TestApp;
  let b: ApiClient; // owner of account B (not a platform admin)
  let accountA: string;
  let accountB: string;

  beforeAll(async () => {
    t = await startTestApp();
    b = await signInNewAccount(t, { email: 'b-owner@example.com', password: 'b-password-123', accountName: 'Bravo Ltd' });
    accountA = (await t.owner.get('/api/auth/session')).body.user.accountId;
    accountB = (await b.get('/api/auth/session')).body.user.accountId;
    // The installation's owner also works in account B (an agency serving a client).
    const [ownerA] = await sql<{ user_id: string }>(t, `select user_id from memberships where account_id = $1`, [accountA]);
    await sql(t, `insert into memberships (account_id, user_id, role) values ($1, $2, 'admin')`, [accountB, ownerA!.user_id]);
  });
  afterAll(async () => t?.stop());

  it('the first owner created at boot is the platform admin; the login response lists every account of the person', async () => {
    const client = t.anonymous();
    const res = await client.login(OWNER.email, OWNER.password);
    expect(res.status).toBe(200);
    expect(res.body.user.platformAdmin).toBe(true);
    expect(res.body.user.accountId).toBe(accountA);
    expect(res.body.accounts.map((a: { id: string; role: string; status: string }) => [a.id, a.role, a.status])).toEqual([
      [accountA, 'owner', 'active'],
      [accountB, 'admin', 'active'],
    ]);
    const session = await client.get('/api/auth/session');
    expect(session.body.accounts).toHaveLength(2);
    expect((await b.get('/api/auth/session')).body.user.platformAdmin).toBe(false);
  });

  it('switching moves the session into the chosen account; the old session ends; strangers and tokens cannot switch', async () => {
    const client = t.anonymous();
    await client.login(OWNER.email, OWNER.password);
    const oldCookie = client.cookie;
    const bChannel = await b.post('/api/channels', { type: 'widget', name: 'Bravo chat', config: { title: 'Bravo' } });
    expect(bChannel.status).toBe(201);

    const switched = await client.post('/api/auth/switch-account', { accountId: accountB });
    expect(switched.status).toBe(200);
    expect(switched.body.user.accountId).toBe(accountB);
    expect(switched.body.user.role).toBe('admin');
    adoptSession(client, switched);
    expect(client.cookie).not.toBe(oldCookie);
    expect((await client.get('/api/auth/session')).body.user.accountId).toBe(accountB);
    expect((await client.get('/api/channels')).body.items.map((c: { name: string }) => c.name)).toContain('Bravo chat');

    const stale = new ApiClient(t.url);
    stale.cookie = oldCookie;
    expect((await stale.get('/api/auth/session')).status).toBe(401);

    // Not a member of this account (b-owner is not in A), an unknown account: 404 alike.
    expect((await b.post('/api/auth/switch-account', { accountId: accountA })).status).toBe(404);
    expect((await client.post('/api/auth/switch-account', { accountId: '6f1c2b9e-4d3a-4f5b-8c7d-0e1f2a3b4c5d' })).status).toBe(404);
    expect((await client.post('/api/auth/switch-account', { accountId: 'nope' })).status).toBe(400);
    // A mutation without the CSRF header is refused like any other.
    expect((await client.request('POST', '/api/auth/switch-account', { accountId: accountA }, { 'x-csrf-token': 'wrong' })).status).toBe(
      403,
    );
    const token = await client.post('/api/tokens', { name: 'script' });
    const bearer = client.withToken(token.body.token);
    const byToken = await bearer.post('/api/auth/switch-account', { accountId: accountA });
    expect(byToken.status).toBe(400);

    const back = await client.post('/api/auth/switch-account', { accountId: accountA });
    expect(back.status).toBe(200);
    adoptSession(client, back);
    expect((await client.get('/api/channels')).body.items.map((c: { name: string }) => c.name)).not.toContain('Bravo chat');
    const audit = await sql<{ action: string; account_id: string }>(
      t,
      `select action, account_id from audit_log where action like 'account.switched%' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'account.switched_out',
      'account.switched_in',
      'account.switched_out',
      'account.switched_in',
    ]);
  });

  it('the platform cabinet lists every account with usage and health, for platform admins only', async () => {
    const list = await t.owner.get('/api/platform/accounts');
    expect(list.status).toBe(200);
    const bravo = list.body.items.find((a: { id: string }) => a.id === accountB);
    expect(bravo).toMatchObject({
      name: 'Bravo Ltd',
      status: 'active',
      owners: ['b-owner@example.com'],
      limits: {},
      usage: { people: 2, channels: 1, messagesPerMonth: 0, aiAnswersPerMonth: 0, storageBytes: 0 },
      health: { channelsFailing: 0, undeliveredReplies: 0, lastActivityAt: null },
    });
    expect((await t.owner.get('/api/platform/accounts?q=brav')).body.items.map((a: { id: string }) => a.id)).toEqual([accountB]);
    expect((await t.owner.get('/api/platform/accounts?status=suspended')).body.items).toEqual([]);
    expect((await t.owner.get(`/api/platform/accounts/${accountB}`)).body.name).toBe('Bravo Ltd');
    expect((await t.owner.get('/api/platform/accounts/6f1c2b9e-4d3a-4f5b-8c7d-0e1f2a3b4c5d')).status).toBe(404);

    for (const [method, path, body] of [
      ['GET', '/api/platform/accounts'],
      ['GET', `/api/platform/accounts/${accountA}`],
      ['POST', '/api/platform/accounts', { name: 'Mine', ownerEmail: 'x@example.com' }],
      ['PATCH', `/api/platform/accounts/${accountB}`, { limits: { channels: 100 } }],
      ['POST', `/api/platform/accounts/${accountA}/suspend`],
      ['POST', `/api/platform/accounts/${accountB}/resume`],
      ['GET', '/api/platform/audit'],
    ] as [string, string, unknown?][]) {
      const res = await b.request(method, path, body);
      expect({ method, path, status: res.status, code: res.body.error?.code }).toEqual({ method, path, status: 403, code: 'forbidden' });
    }
    expect((await t.anonymous().get('/api/platform/accounts')).status).toBe(401);
  });

  it("creating an account invites its owner; the invitation's link signs the owner into the new account", async () => {
    const res = await t.owner.post('/api/platform/accounts', {
      name: 'Delta Shop',
      ownerEmail: 'Delta-Owner@example.com',
      limits: { channels: 3 },
    });
    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({ name: 'Delta Shop', status: 'active', limits: { channels: 3 }, owners: [] });
    expect(res.body.invitation.email).toBe('delta-owner@example.com');
    const token = new URL(res.body.invitation.link as string).searchParams.get('token');
    expect(token).toBeTruthy();

    const owner = t.anonymous();
    const accepted = await owner.post('/api/invitations/accept', { token, name: 'Dora', password: 'delta-password-123' });
    expect(accepted.status).toBe(201);
    const signedIn = await owner.login('delta-owner@example.com', 'delta-password-123');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ accountId: res.body.account.id, role: 'owner', platformAdmin: false });
    expect((await t.owner.get(`/api/platform/accounts/${res.body.account.id}`)).body.owners).toEqual(['delta-owner@example.com']);
    const audit = (await t.owner.get('/api/platform/audit')).body.items[0];
    expect(audit).toMatchObject({ action: 'platform.account_created', targetId: res.body.account.id });

    for (const body of [{ name: '', ownerEmail: 'x@example.com' }, { name: 'X', ownerEmail: 'not-an-address' }, { name: 'X' }]) {
      const bad = await t.owner.post('/api/platform/accounts', body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
  });

  it('plan limits refuse with 402 limit_reached naming the limit; removing a limit lifts it; changes are audited', async () => {
    const set = await t.owner.patch(`/api/platform/accounts/${accountB}`, { limits: { channels: 1, people: 2 } });
    expect(set.status).toBe(200);
    expect(set.body.limits).toEqual({ channels: 1, people: 2 });
    const refused = await b.post('/api/channels', { type: 'widget', name: 'Second chat', config: { title: 'Two' } });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('limit_reached');
    expect(refused.body.error.details).toEqual({ limit: 'channels', max: 1, used: 1 });
    const person = await b.post('/api/users', { email: 'third@example.com', name: 'Third', password: 'third-password-123', role: 'admin' });
    expect(person.status).toBe(402);
    expect(person.body.error.details.limit).toBe('people');

    expect((await t.owner.patch(`/api/platform/accounts/${accountB}`, { limits: { channels: -1 } })).status).toBe(400);
    const lifted = await t.owner.patch(`/api/platform/accounts/${accountB}`, { limits: { channels: null } });
    expect(lifted.body.limits).toEqual({ people: 2 });
    expect((await b.post('/api/channels', { type: 'widget', name: 'Second chat', config: { title: 'Two' } })).status).toBe(201);
    await t.owner.patch(`/api/platform/accounts/${accountB}`, { limits: { people: null } });

    const audit = await t.owner.get('/api/platform/audit');
    expect(audit.body.items[0]).toMatchObject({ action: 'platform.account_updated', targetId: accountB });
    expect(audit.body.items[0].details.limits.to).toEqual({});
  });

  it('a suspended account cannot sign in or use its sessions and tokens, with a clear code; resuming restores them', async () => {
    const token = (await b.post('/api/tokens', { name: 'b script' })).body.token as string;
    const script = b.withToken(token);
    expect((await script.get('/api/channels')).status).toBe(200);
    const mine = await t.owner.post(`/api/platform/accounts/${accountA}/suspend`);
    expect({ status: mine.status, code: mine.body.error.code }).toEqual({ status: 409, code: 'conflict' }); // not the operator's own account

    const suspended = await t.owner.post(`/api/platform/accounts/${accountB}/suspend`);
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect(suspended.body.suspendedAt).not.toBeNull();
    for (const client of [b, script]) {
      const res = await client.get('/api/channels');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('account_suspended');
    }
    const login = await t.anonymous().login('b-owner@example.com', 'b-password-123');
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('account_suspended');
    // A wrong password still says only that.
    expect((await t.anonymous().login('b-owner@example.com', 'wrong-password-1')).body.error.code).toBe('invalid_credentials');
    // A person with another, active account signs in there and sees B as suspended; switching into it is refused.
    const multi = t.anonymous();
    const res = await multi.login(OWNER.email, OWNER.password);
    expect(res.body.accounts.find((a: { id: string }) => a.id === accountB).status).toBe('suspended');
    const refused = await multi.post('/api/auth/switch-account', { accountId: accountB });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_suspended');

    const resumed = await t.owner.post(`/api/platform/accounts/${accountB}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', suspendedAt: null });
    expect((await script.get('/api/channels')).status).toBe(200);
    expect((await t.anonymous().login('b-owner@example.com', 'b-password-123')).status).toBe(200);
    const actions = (await t.owner.get('/api/platform/audit')).body.items.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['platform.account_resumed', 'platform.account_suspended']);
    // The account's own audit log shows what the platform did to it.
    const own = await sql<{ action: string }>(t, `select action from audit_log where account_id = $1 and action like 'platform.%'`, [
      accountB,
    ]);
    expect(own.map((r) => r.action)).toContain('platform.account_suspended');
  });

  it('when every account of a person is suspended but one, sign-in opens the active one', async () => {
    await sql(t, `update memberships set created_at = now() - interval '1 day' where account_id = $1`, [accountB]);
    await t.owner.post(`/api/platform/accounts/${accountB}/suspend`);
    const res = await t.anonymous().login(OWNER.email, OWNER.password);
    expect(res.status).toBe(200);
    expect(res.body.user.accountId).toBe(accountA);
    await t.owner.post(`/api/platform/accounts/${accountB}/resume`);
    const again = await t.anonymous().login(OWNER.email, OWNER.password);
    expect(again.body.user.accountId).toBe(accountB); // the oldest membership, now active again
  });

  it('an invitation accepted with the address and password someone already uses joins that person: one sign-in, both accounts', async () => {
    const echo = await t.owner.post('/api/platform/accounts', { name: 'Echo', ownerEmail: 'b-owner@example.com' });
    expect(echo.status).toBe(201);
    const token = new URL(echo.body.invitation.link as string).searchParams.get('token');
    const accepted = await t.anonymous().post('/api/invitations/accept', { token, name: 'Ignored', password: 'b-password-123' });
    expect(accepted.status).toBe(201);
    const login = await t.anonymous().login('b-owner@example.com', 'b-password-123');
    expect(login.body.accounts.map((a: { name: string; role: string }) => [a.name, a.role])).toEqual([
      ['Bravo Ltd', 'owner'],
      ['Echo', 'owner'],
    ]);
    // A different password makes a different person (an address may be used by unrelated people in two accounts).
    const foxtrot = await t.owner.post('/api/platform/accounts', { name: 'Foxtrot', ownerEmail: 'b-owner@example.com' });
    const token2 = new URL(foxtrot.body.invitation.link as string).searchParams.get('token');
    expect(
      (await t.anonymous().post('/api/invitations/accept', { token: token2, name: 'Other B', password: 'another-password-456' })).status,
    ).toBe(201);
    const other = await t.anonymous().login('b-owner@example.com', 'another-password-456');
    expect(other.body.accounts.map((a: { name: string }) => a.name)).toEqual(['Foxtrot']);
  });

  it('an invitation past the people limit is refused with 402', async () => {
    expect((await t.owner.patch(`/api/platform/accounts/${accountB}`, { limits: { people: 2 } })).status).toBe(200);
    const invite = await b.post('/api/invitations', { email: 'fourth@example.com', role: 'agent' });
    expect(invite.status).toBe(402);
    expect(invite.body.error.details.limit).toBe('people');
    await t.owner.patch(`/api/platform/accounts/${accountB}`, { limits: { people: null } });
  });
});

describe('a suspended account keeps storing inbound and holds its replies until resumed', () => {
  let api: TestApp; // API and scheduler only: sends wait for the worker started below
  let worker: TestApp | undefined;

  beforeAll(async () => {
    api = await startTestApp({ roles: 'api' });
  });
  afterAll(async () => {
    await worker?.stop({ keepDatabase: true });
    await api?.stop();
  });

  it('inbound is stored while suspended; a held reply is sent after resume, not lost', async () => {
    const c = await signInNewAccount(api, { email: 'c-owner@example.com', password: 'c-password-123', accountName: 'Charlie' });
    const accountC = (await c.get('/api/auth/session')).body.user.accountId as string;
    const botToken = api.telegram.addBot();
    const channel = await c.post('/api/channels', { type: 'telegram', name: 'C bot', config: { botToken, mode: 'webhook' } });
    expect(channel.status).toBe(201);
    expect(await api.telegram.deliver(botToken, api.telegram.textUpdate(botToken, { chatId: 9101, text: 'first question' }))).toBe(200);
    const conversation = (await c.get('/api/conversations?status=all')).body.items[0];
    const reply = await c.post(`/api/conversations/${conversation.id}/messages`, { text: 'held answer' });
    expect(reply.status).toBe(201);

    expect((await api.owner.post(`/api/platform/accounts/${accountC}/suspend`)).status).toBe(200);
    // Inbound keeps being stored while suspended.
    expect(await api.telegram.deliver(botToken, api.telegram.textUpdate(botToken, { chatId: 9101, text: 'while suspended' }))).toBe(200);
    const stored = await sql<{ text: string }>(api, `select text from messages where account_id = $1 and direction = 'in' order by seq`, [
      accountC,
    ]);
    expect(stored.map((m) => m.text)).toEqual(['first question', 'while suspended']);

    worker = await startTestApp({ databaseUrl: api.databaseUrl, telegram: api.telegram, roles: 'worker' });
    const held = await eventually(
      async () => {
        const [m] = await sql<{ status: string; failure_reason: string | null }>(
          api,
          `select status, failure_reason from messages where id = $1`,
          [reply.body.id],
        );
        return m?.failure_reason?.startsWith('Held') ? m : undefined;
      },
      15_000,
      'the reply to be held',
    );
    expect(held.status).toBe('queued');
    expect(api.telegram.sent.filter((s) => s.token === botToken)).toEqual([]);

    expect((await api.owner.post(`/api/platform/accounts/${accountC}/resume`)).status).toBe(200);
    const sent = await eventually(() => api.telegram.sent.find((s) => s.token === botToken), 15_000, 'the held reply to go out');
    expect(sent.text).toBe('held answer');
    const resumed = (await api.owner.get('/api/platform/audit')).body.items[0];
    expect(resumed).toMatchObject({ action: 'platform.account_resumed', details: { heldMessagesQueued: 1 } });
  });
});

describe('plan limits on replies, AI answers and storage', () => {
  let t: TestApp;
  let accountId: string;
  let botToken: string;
  let nextChat = 9300;

  beforeAll(async () => {
    t = await startTestApp();
    accountId = (await t.owner.get('/api/auth/session')).body.user.accountId;
    botToken = t.telegram.addBot();
    const ch = await t.owner.post('/api/channels', {
      type: 'telegram',
      name: 'Shop',
      config: { botToken, mode: 'webhook', assistant: { enabled: true } },
    });
    expect(ch.status).toBe(201);
    const faq = { kind: 'faq', question: 'How long does a refund take?', answer: 'Refunds reach your card within 5 business days.' };
    expect((await t.owner.post('/api/knowledge/articles', faq)).status).toBe(201);
    expect((await t.owner.request('PUT', '/api/ai/settings', { sourceLineChannels: [] })).status).toBe(200);
  });
  afterAll(async () => t?.stop());

  async function customerAsks(text: string) {
    const chatId = nextChat++;
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text }))).toBe(200);
    return eventually(async () => {
      const list = await t.owner.get('/api/conversations?status=all&limit=200');
      return list.body.items.find((c: { contact: { externalId: string } }) => c.contact.externalId === String(chatId));
    });
  }

  it('AI answers stop at the plan limit: the next customer is handed to people, not left unanswered', async () => {
    expect((await t.owner.patch(`/api/platform/accounts/${accountId}`, { limits: { aiAnswersPerMonth: 1 } })).status).toBe(200);
    const first = await customerAsks('how long does a refund take?');
    await eventually(async () =>
      (await t.owner.get(`/api/conversations/${first.id}/messages`)).body.items.some((m: { authorType: string }) => m.authorType === 'bot'),
    );
    const second = await customerAsks('how long does a refund take?');
    const handed = await eventually(async () => {
      const c = (await t.owner.get(`/api/conversations/${second.id}`)).body;
      return c.status === 'queued' ? c : undefined;
    });
    expect(handed.status).toBe('queued');
    const turns = (await t.owner.get(`/api/conversations/${second.id}/messages`)).body.items;
    expect(turns.filter((m: { authorType: string }) => m.authorType === 'bot')).toEqual([]);
    const usage = (await t.owner.get(`/api/platform/accounts/${accountId}`)).body.usage;
    expect(usage.aiAnswersPerMonth).toBe(1);
  });

  it('replies stop at the monthly message limit with 402 limit_reached; private notes and inbound are not limited', async () => {
    const conv = await customerAsks('a question for a person');
    const used = (await t.owner.get(`/api/platform/accounts/${accountId}`)).body.usage.messagesPerMonth as number;
    expect((await t.owner.patch(`/api/platform/accounts/${accountId}`, { limits: { messagesPerMonth: used } })).status).toBe(200);
    const refused = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'over the plan' });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: 'limit_reached', details: { limit: 'messagesPerMonth', max: used, used } });
    expect((await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'internal note', private: true })).status).toBe(201);
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 9399, text: 'still stored' }))).toBe(200);
    expect((await t.owner.patch(`/api/platform/accounts/${accountId}`, { limits: { messagesPerMonth: null } })).status).toBe(200);
    expect((await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'within the plan again' })).status).toBe(201);
  });

  it('a document that would pass the storage limit is refused before it is stored', async () => {
    expect((await t.owner.patch(`/api/platform/accounts/${accountId}`, { limits: { storageBytes: 100 } })).status).toBe(200);
    const big = await t.owner.upload('/api/knowledge/documents', {
      name: 'big.md',
      content: `# Big\n\n${'words '.repeat(100)}`,
      type: 'text/markdown',
    });
    expect(big.status).toBe(402);
    expect(big.body.error.details.limit).toBe('storageBytes');
    const small = await t.owner.upload('/api/knowledge/documents', {
      name: 'small.md',
      content: '# Small\n\nTiny text.',
      type: 'text/markdown',
    });
    expect(small.status).toBe(201);
    expect((await t.owner.get(`/api/platform/accounts/${accountId}`)).body.usage.storageBytes).toBeGreaterThan(0);
  });
});
