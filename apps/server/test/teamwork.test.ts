import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

/*
 * Tags, bulk actions, snooze, canned responses, teams with auto-assignment and presence, @mentions:
 * permissions per role, account isolation and the failure paths, through the HTTP API.
 */

let t: TestApp;
let db: pg.Client;
let botToken: string;
let chats = 9100;
let accountId: string;
let other: ApiClient;
const people: Record<'agent' | 'agent2' | 'supervisor', { id: string; client: ApiClient }> = {} as never;

async function member(key: keyof typeof people, role: 'agent' | 'supervisor') {
  const email = `${key}@teamwork.test`;
  const password = `Copper-kettle-${key}-5521`;
  const res = await t.owner.post('/api/users', { email, name: key === 'agent' ? 'Anna' : key, password, role });
  expect(res.status).toBe(201);
  const client = t.anonymous();
  expect((await client.login(email, password)).status).toBe(200);
  people[key] = { id: res.body.id as string, client };
}

async function conversation(text = 'hello'): Promise<string> {
  const chatId = ++chats;
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text }))).toBe(200);
  return eventually(async () => {
    const list = await t.owner.get('/api/conversations?status=all&limit=200');
    return list.body.items.find((c: { contact: { externalId: string } }) => c.contact.externalId === String(chatId))?.id as string;
  });
}

async function customerWrites(conversationId: string, text: string) {
  const conv = (await t.owner.get(`/api/conversations/${conversationId}`)).body;
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: Number(conv.contact.externalId), text }))).toBe(200);
}

/** Open conversations per assignee in the account. */
async function openLoads(): Promise<Record<string, number>> {
  const load = await db.query<{ assignee_id: string; n: number }>(
    `select assignee_id, count(*)::int as n from conversations where account_id = $1 and status in ('open', 'queued') and assignee_id is not null group by assignee_id`,
    [accountId],
  );
  return Object.fromEntries(load.rows.map((r) => [r.assignee_id, r.n]));
}

const eventsOf = async (type: string) =>
  (
    await db.query<{ payload: Record<string, unknown> }>('select payload from events where account_id = $1 and type = $2 order by id', [
      accountId,
      type,
    ])
  ).rows.map((r) => r.payload);

beforeAll(async () => {
  t = await startTestApp({ roles: 'api,worker' });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  botToken = t.telegram.addBot();
  expect((await t.owner.post('/api/channels', { type: 'telegram', name: 'Bot', config: { botToken, mode: 'webhook' } })).status).toBe(201);
  accountId = (await t.owner.get('/api/auth/session')).body.user.accountId;
  await member('agent', 'agent');
  await member('agent2', 'agent');
  await member('supervisor', 'supervisor');
  other = await signInNewAccount(t, { email: 'other@teamwork.test', password: 'Another-account-pass-1' });
}, 120_000);
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

describe('tags', () => {
  it('are unique per account whatever the case, managed with tag.manage, applied with conversation.assign', async () => {
    const vip = await t.owner.post('/api/tags', { name: 'VIP', color: 'red' });
    expect(vip.status).toBe(201);
    const dup = await t.owner.post('/api/tags', { name: 'vip' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    // Another account may have its own "VIP".
    expect((await other.post('/api/tags', { name: 'VIP' })).status).toBe(201);
    expect((await people.agent.client.post('/api/tags', { name: 'Agents cannot' })).status).toBe(403);
    expect((await people.supervisor.client.patch(`/api/tags/${vip.body.id}`, { color: 'grape' })).body.color).toBe('grape');

    const id = await conversation();
    const tagged = await people.agent.client.put(`/api/conversations/${id}/tags`, { tagIds: [vip.body.id] });
    expect(tagged.status).toBe(200);
    expect(tagged.body.tagIds).toEqual([vip.body.id]);
    const filtered = await t.owner.get(`/api/conversations?status=all&tag=${vip.body.id}`);
    expect(filtered.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it("refuses another account's tag (unknown_tag) and another account's conversation (404)", async () => {
    const foreign = (await other.get('/api/tags')).body.items[0].id as string;
    const id = await conversation();
    const res = await t.owner.put(`/api/conversations/${id}/tags`, { tagIds: [foreign] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unknown_tag');
    const mine = (await t.owner.get('/api/tags')).body.items[0].id as string;
    expect((await other.put(`/api/conversations/${id}/tags`, { tagIds: [] })).status).toBe(404);
    expect((await other.patch(`/api/tags/${mine}`, { name: 'Stolen' })).status).toBe(404);
  });

  it('on contacts: set with contact.edit, listed with contact.read', async () => {
    const tag = (await t.owner.post('/api/tags', { name: 'Wholesale', color: 'teal' })).body;
    const id = await conversation();
    const contactId = (await t.owner.get(`/api/conversations/${id}`)).body.contact.id as string;
    const set = await t.owner.put(`/api/contacts/${contactId}/tags`, { tagIds: [tag.id] });
    expect(set.status).toBe(200);
    expect((await people.agent.client.get(`/api/contacts/${contactId}/tags`)).body.items.map((x: { name: string }) => x.name)).toEqual([
      'Wholesale',
    ]);
    expect((await other.get(`/api/contacts/${contactId}/tags`)).status).toBe(404);
  });

  it('deleting a tag takes it off its conversations', async () => {
    const tag = (await t.owner.post('/api/tags', { name: 'Temporary' })).body;
    const id = await conversation();
    await t.owner.put(`/api/conversations/${id}/tags`, { tagIds: [tag.id] });
    expect((await t.owner.delete(`/api/tags/${tag.id}`)).status).toBe(204);
    expect((await t.owner.get(`/api/conversations/${id}`)).body.tagIds).toEqual([]);
  });
});

describe('bulk actions', () => {
  it('assign, tag, resolve and snooze many at once, with a result per conversation', async () => {
    const ids = [await conversation(), await conversation(), await conversation()];
    const foreignConv = '00000000-0000-4000-8000-000000000001';
    const tag = (await t.owner.post('/api/tags', { name: 'Bulk', color: 'blue' })).body;

    const tagged = await people.agent.client.post('/api/conversations/bulk', {
      conversationIds: [...ids, foreignConv],
      action: { kind: 'tag', add: [tag.id] },
    });
    expect(tagged.status).toBe(200);
    expect(tagged.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, true, false]);
    expect(tagged.body.results[3].error.code).toBe('not_found');

    // An agent gives nothing to a colleague: refused before anything happens.
    const give = await people.agent.client.post('/api/conversations/bulk', {
      conversationIds: ids,
      action: { kind: 'assign', assigneeId: people.agent2.id },
    });
    expect(give.status).toBe(403);
    const take = await people.supervisor.client.post('/api/conversations/bulk', {
      conversationIds: ids,
      action: { kind: 'assign', assigneeId: people.agent2.id },
    });
    expect(take.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    for (const id of ids) expect((await t.owner.get(`/api/conversations/${id}`)).body.assigneeId).toBe(people.agent2.id);
    const assigned = (await eventsOf('conversation.assigned')).filter((e) => ids.includes(e.conversationId as string));
    expect(assigned).toHaveLength(3);
    expect(assigned[0]).toMatchObject({ assigneeId: people.agent2.id, previousAssigneeId: null, byUserId: people.supervisor.id });

    // Taking a colleague's conversations is refused one by one (per-item results), the rest stays as it was.
    const until = new Date(Date.now() + 3600_000).toISOString();
    const grab = await people.agent.client.post('/api/conversations/bulk', {
      conversationIds: ids,
      action: { kind: 'assign', assigneeId: people.agent.id },
    });
    expect(grab.status).toBe(200);
    expect(grab.body.results.map((r: { error?: { code: string } }) => r.error?.code)).toEqual(['forbidden', 'forbidden', 'forbidden']);
    const snooze = await t.owner.post('/api/conversations/bulk', { conversationIds: ids.slice(0, 2), action: { kind: 'snooze', until } });
    expect(snooze.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const resolve = await t.owner.post('/api/conversations/bulk', { conversationIds: [ids[2]], action: { kind: 'resolve' } });
    expect(resolve.body.results[0].ok).toBe(true);
    expect((await t.owner.get(`/api/conversations/${ids[0]}`)).body).toMatchObject({
      status: 'snoozed',
      snoozedUntil: until.replace('Z', 'Z'),
    });
    expect((await t.owner.get(`/api/conversations/${ids[2]}`)).body.status).toBe('resolved');

    const audit = await db.query(`select details from audit_log where account_id = $1 and action = 'conversation.bulk' order by id`, [
      accountId,
    ]);
    expect(audit.rows.length).toBeGreaterThanOrEqual(4);
  });

  it("refuses another account's tag in a bulk tag action, changing nothing", async () => {
    const foreign = (await other.get('/api/tags')).body.items[0].id as string;
    const id = await conversation();
    const res = await t.owner.post('/api/conversations/bulk', { conversationIds: [id], action: { kind: 'tag', add: [foreign] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unknown_tag');
  });
});

describe('snooze', () => {
  it('needs a time in the future (stable codes), then wakes at its time', async () => {
    const id = await conversation();
    const past = await t.owner.patch(`/api/conversations/${id}`, {
      status: 'snoozed',
      snoozedUntil: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('snooze_in_past');
    const none = await t.owner.patch(`/api/conversations/${id}`, { status: 'snoozed' });
    expect(none.body.error.code).toBe('snooze_time_required');

    const until = new Date(Date.now() + 45_000).toISOString();
    const snoozed = await t.owner.patch(`/api/conversations/${id}`, { status: 'snoozed', snoozedUntil: until });
    expect(snoozed.body.status).toBe('snoozed');
    expect((await t.owner.get('/api/conversations?status=snoozed')).body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect((await t.owner.get('/api/conversations')).body.items.map((c: { id: string }) => c.id)).not.toContain(id);

    // Not yet due: nothing happens. Due: back in the queue, with the event.
    expect(await t.running.services.conversations.wakeIfDue(accountId, id)).toBe(false);
    expect(await t.running.services.conversations.wakeIfDue(accountId, id, new Date(Date.now() + 60_000))).toBe(true);
    expect((await t.owner.get(`/api/conversations/${id}`)).body).toMatchObject({ status: 'queued', snoozedUntil: null });
    expect((await eventsOf('conversation.snooze_woke')).filter((e) => e.conversationId === id)).toEqual([
      { conversationId: id, reason: 'time' },
    ]);
  });

  it('wakes when the customer writes', async () => {
    const id = await conversation();
    await people.agent.client.patch(`/api/conversations/${id}`, { assigneeId: people.agent.id });
    await t.owner.patch(`/api/conversations/${id}`, { status: 'snoozed', snoozedUntil: new Date(Date.now() + 86_400_000).toISOString() });
    await customerWrites(id, 'any news?');
    await eventually(async () => (await t.owner.get(`/api/conversations/${id}`)).body.status === 'open');
    expect((await t.owner.get(`/api/conversations/${id}`)).body.snoozedUntil).toBeNull();
    expect((await eventsOf('conversation.snooze_woke')).filter((e) => e.conversationId === id)).toEqual([
      { conversationId: id, reason: 'customer' },
    ]);
  });
});

describe('canned responses', () => {
  it('shared ones need canned.manage; personal ones are their owner’s alone', async () => {
    const refused = await people.agent.client.post('/api/canned-responses', { shortcut: 'hi', text: 'Hello!', shared: true });
    expect(refused.status).toBe(403);
    const shared = await people.supervisor.client.post('/api/canned-responses', {
      shortcut: 'hi',
      text: 'Здравствуйте, {{contact.name}}! Меня зовут {{agent.name}}.',
      language: 'ru',
      shared: true,
    });
    expect(shared.status).toBe(201);
    expect(
      (await people.supervisor.client.post('/api/canned-responses', { shortcut: 'HI', text: 'x', language: 'ru', shared: true })).status,
    ).toBe(409);
    expect(
      (
        await people.supervisor.client.post('/api/canned-responses', {
          shortcut: 'hi',
          text: 'Hello, {{contact.name}}!',
          language: 'en',
          shared: true,
        })
      ).status,
    ).toBe(201);
    const mine = await people.agent.client.post('/api/canned-responses', { shortcut: 'price', text: 'Our price list: …' });
    expect(mine.body.shared).toBe(false);

    const agentSees = (await people.agent.client.get('/api/canned-responses?q=hi')).body.items.map((c: { shortcut: string }) => c.shortcut);
    expect(agentSees).toEqual(['hi', 'hi']);
    expect((await people.agent2.client.get('/api/canned-responses')).body.items.map((c: { shortcut: string }) => c.shortcut)).not.toContain(
      'price',
    );
    expect((await people.agent2.client.delete(`/api/canned-responses/${mine.body.id}`)).status).toBe(404);
    expect((await people.agent.client.patch(`/api/canned-responses/${shared.body.id}`, { text: 'changed' })).status).toBe(403);
    expect((await other.get('/api/canned-responses')).body.items).toEqual([]);
    expect((await people.agent.client.delete(`/api/canned-responses/${mine.body.id}`)).status).toBe(204);
  });
});

describe('notes with @mentions', () => {
  it('publish note.mentioned for members only', async () => {
    const id = await conversation();
    const note = await people.agent.client.post(`/api/conversations/${id}/messages`, {
      text: '@supervisor please look',
      private: true,
      mentions: [people.supervisor.id, '00000000-0000-4000-8000-000000000002'],
    });
    expect(note.status).toBe(201);
    expect(note.body.mentions).toEqual([people.supervisor.id]);
    const events = (await eventsOf('note.mentioned')).filter((e) => e.conversationId === id);
    expect(events).toEqual([
      { conversationId: id, messageId: note.body.id, authorId: people.agent.id, mentionedUserIds: [people.supervisor.id] },
    ]);
  });
});

describe('files on private notes', () => {
  it('uploads a file, attaches it to a note and downloads it back; replies to customers refuse files; isolation', async () => {
    const id = await conversation();
    const up = await people.agent.client.upload(`/api/conversations/${id}/files`, {
      name: 'счёт.pdf',
      content: '%PDF-1.4 invoice',
      type: 'application/pdf',
    });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ kind: 'document', fileName: 'счёт.pdf', mimeType: 'application/pdf', size: 16 });
    const note = await people.agent.client.post(`/api/conversations/${id}/messages`, {
      text: 'Invoice attached',
      private: true,
      attachments: [up.body],
    });
    expect(note.status).toBe(201);
    expect(note.body.attachments).toHaveLength(1);
    const file = await fetch(`${t.url}/api/conversations/${id}/messages/${note.body.id}/attachments/0`, {
      headers: { cookie: t.owner.cookie! },
    });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('%PDF-1.4 invoice');

    const reply = await people.agent.client.post(`/api/conversations/${id}/messages`, { text: 'Here it is', attachments: [up.body] });
    expect(reply.status).toBe(400);
    // A made-up or another conversation's channel file id is refused.
    const forged = await people.agent.client.post(`/api/conversations/${id}/messages`, {
      text: 'x',
      private: true,
      attachments: [{ ...up.body, fileId: '00000000-0000-4000-8000-000000000003' }],
    });
    expect(forged.status).toBe(400);
    expect((await other.upload(`/api/conversations/${id}/files`, { name: 'a.txt', content: 'a' })).status).toBe(404);
  });
});

describe('teams and auto-assignment', () => {
  it('team.read to see, team.manage to change; channels are served by one team; isolation', async () => {
    const channelId = (await t.owner.get('/api/channels')).body.items[0].id as string;
    expect((await people.agent.client.post('/api/teams', { name: 'Nope' })).status).toBe(403);
    const sales = await t.owner.post('/api/teams', { name: 'Sales', members: [{ userId: people.agent.id }], channelIds: [] });
    expect(sales.status).toBe(201);
    expect((await t.owner.post('/api/teams', { name: 'sales' })).status).toBe(409);
    expect((await other.get(`/api/teams/${sales.body.id}`)).status).toBe(404);
    const foreignMember = await other.post('/api/teams', { name: 'Spies', members: [{ userId: people.agent.id }] });
    expect(foreignMember.status).toBe(400);
    const foreignChannel = await other.post('/api/teams', { name: 'Spies', channelIds: [channelId] });
    expect(foreignChannel.status).toBe(400);
    expect((await people.agent.client.get('/api/teams')).status).toBe(200);
    expect((await t.owner.delete(`/api/teams/${sales.body.id}`)).status).toBe(204);
  });

  it('round-robin hands waiting conversations to online members under capacity, never more', async () => {
    const channelId = (await t.owner.get('/api/channels')).body.items[0].id as string;
    // Both agents are online (their requests count); the supervisor set themselves away.
    await people.agent.client.put('/api/presence/me', { status: 'auto' });
    await people.agent2.client.put('/api/presence/me', { status: 'online' });
    await people.supervisor.client.put('/api/presence/me', { status: 'away' });
    expect((await people.supervisor.client.get('/api/presence/me')).body.status).toBe('away');

    // Earlier tests left the agents some open conversations: resolve everything first.
    const open = (await t.owner.get('/api/conversations?status=all&limit=200')).body.items.map((c: { id: string }) => c.id);
    await t.owner.post('/api/conversations/bulk', { conversationIds: open.slice(0, 100), action: { kind: 'resolve' } });
    if (open.length > 100) await t.owner.post('/api/conversations/bulk', { conversationIds: open.slice(100), action: { kind: 'resolve' } });

    const team = await t.owner.post('/api/teams', {
      name: 'Support',
      assignment: 'round_robin',
      capacity: 2,
      members: [{ userId: people.agent.id }, { userId: people.agent2.id, capacity: 1 }, { userId: people.supervisor.id }],
      channelIds: [channelId],
    });
    expect(team.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await conversation(`need help ${i}`));
    const convs = await eventually(
      async () => {
        const all = await Promise.all(ids.map(async (id) => (await t.owner.get(`/api/conversations/${id}`)).body));
        // Every one joined the team's queue (later arrivals in a later run), three got someone.
        return all.filter((c) => c.assigneeId).length === 3 && all.every((c) => c.teamId === team.body.id) ? all : null;
      },
      20_000,
      'three assignments',
    );
    const by = (userId: string) => convs.filter((c) => c.assigneeId === userId).length;
    expect(by(people.agent.id)).toBe(2);
    expect(by(people.agent2.id)).toBe(1);
    expect(by(people.supervisor.id)).toBe(0);
    expect(convs.every((c) => c.teamId === team.body.id)).toBe(true);
    // Two still wait in the team's unassigned queue.
    const queue = await t.owner.get(`/api/conversations?team=${team.body.id}&assignee=unassigned&status=queued`);
    expect(queue.body.items).toHaveLength(2);
    const assigned = (await eventsOf('conversation.assigned')).filter((e) => ids.includes(e.conversationId as string));
    expect(assigned.every((e) => e.byUserId === null && e.teamId === team.body.id)).toBe(true);
    expect((await eventsOf('conversation.team_changed')).filter((e) => ids.includes(e.conversationId as string))).toHaveLength(5);

    // Freeing capacity hands out the next one.
    const first = convs.find((c) => c.assigneeId === people.agent2.id)!;
    await people.agent2.client.patch(`/api/conversations/${first.id}`, { status: 'resolved' });
    await eventually(
      async () => (await t.owner.get(`/api/conversations?team=${team.body.id}&assignee=unassigned&status=queued`)).body.items.length === 1,
    );

    // More waiting conversations: nobody has room, so they all wait.
    for (let i = 0; i < 2; i++) await conversation(`still waiting ${i}`);
    const loads = await openLoads();
    expect(loads[people.agent.id]).toBe(2);
    expect(loads[people.agent2.id]).toBe(1);
    expect(loads[people.supervisor.id]).toBeUndefined();
  }, 60_000);

  it('concurrent workers never exceed capacity (the per-account assignment lock)', async () => {
    // Free everyone, then let twelve conversations wait in a manual team.
    const open = (await t.owner.get('/api/conversations?status=active&limit=200')).body.items.map((c: { id: string }) => c.id);
    if (open.length) await t.owner.post('/api/conversations/bulk', { conversationIds: open, action: { kind: 'resolve' } });
    const teams = (await t.owner.get('/api/teams')).body.items as { id: string; channelIds: string[] }[];
    for (const team of teams) await t.owner.delete(`/api/teams/${team.id}`);
    const channelId = (await t.owner.get('/api/channels')).body.items[0].id as string;
    const body = {
      name: 'Burst',
      assignment: 'manual',
      capacity: 1,
      members: [{ userId: people.agent.id }, { userId: people.agent2.id }, { userId: people.supervisor.id, capacity: 2 }],
      channelIds: [channelId],
    };
    const team = (await t.owner.post('/api/teams', body)).body;
    await people.supervisor.client.put('/api/presence/me', { status: 'auto' });
    for (let i = 0; i < 12; i++) await conversation(`burst ${i}`);
    await eventually(async () => (await t.owner.get(`/api/conversations?team=${team.id}&status=queued`)).body.items.length === 12);

    // The team turns automatic while eight workers run at once (besides the job the change asks for).
    const { AutoAssignment } = await import('../src/modules/teams/teams.assignment.js');
    const runners = Array.from({ length: 8 }, () => new AutoAssignment(t.running.ctx, t.running.services.conversations));
    await db.query(`update teams set assignment = 'round_robin' where id = $1`, [team.id]);
    const handed = await Promise.all(runners.map((r) => r.run(accountId)));
    expect(handed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
    const loads = await eventually(async () => {
      const l = await openLoads();
      return Object.values(l).reduce((a, b) => a + b, 0) === 4 ? l : null;
    });
    expect(loads).toEqual({ [people.agent.id]: 1, [people.agent2.id]: 1, [people.supervisor.id]: 2 });
  }, 60_000);
});
