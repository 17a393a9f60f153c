import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client.js';
import { startTestApp, type TestApp } from './support/harness.js';

/*
 * Who may change whose conversation: anyone takes a free conversation or lets go of their own; only
 * owners, admins and supervisors (`conversation.assign_others`) move a colleague's conversation.
 */

let t: TestApp;
let botToken: string;
let chats = 7100;
const members: Record<'opA' | 'opB' | 'supervisor' | 'admin', { id: string; client: ApiClient }> = {} as never;

async function member(key: keyof typeof members, role: 'agent' | 'supervisor' | 'admin') {
  const email = `${key.toLowerCase()}@assign.test`;
  const password = `Quartz-lantern-${key}-8841`;
  const res = await t.owner.post('/api/users', { email, name: key, password, role });
  expect(res.status).toBe(201);
  const client = t.anonymous();
  expect((await client.login(email, password)).status).toBe(200);
  members[key] = { id: res.body.id as string, client };
}

beforeAll(async () => {
  t = await startTestApp({ roles: 'api,worker' });
  botToken = t.telegram.addBot();
  expect((await t.owner.post('/api/channels', { type: 'telegram', name: 'Bot', config: { botToken, mode: 'webhook' } })).status).toBe(201);
  await member('opA', 'agent');
  await member('opB', 'agent');
  await member('supervisor', 'supervisor');
  await member('admin', 'admin');
});
afterAll(() => t?.stop());

/** A new conversation with a customer, held by `assignee` (or nobody). */
async function conversation(assignee?: keyof typeof members): Promise<string> {
  const chatId = ++chats;
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text: 'hello' }))).toBe(200);
  const list = await t.owner.get('/api/conversations?status=all&limit=200');
  const id = list.body.items.find((c: { contact: { externalId: string } }) => c.contact.externalId === String(chatId)).id as string;
  if (assignee) {
    const { id: userId, client } = members[assignee];
    expect((await client.patch(`/api/conversations/${id}`, { assigneeId: userId })).status).toBe(200);
  }
  return id;
}

const assigneeOf = async (id: string) => (await t.owner.get(`/api/conversations/${id}`)).body.assigneeId as string | null;

describe('conversation assignment', () => {
  it("an operator can neither unassign nor take over a colleague's conversation", async () => {
    const id = await conversation('opA');
    const { client: opB, id: opBId } = members.opB;

    const unassign = await opB.patch(`/api/conversations/${id}`, { assigneeId: null });
    expect(unassign.status).toBe(403);
    expect(unassign.body.error.code).toBe('forbidden');
    const takeOver = await opB.patch(`/api/conversations/${id}`, { assigneeId: opBId });
    expect(takeOver.status).toBe(403);
    expect(takeOver.body.error.code).toBe('forbidden');
    expect(await assigneeOf(id)).toBe(members.opA.id);
  });

  it('an operator takes a free conversation and lets go of their own', async () => {
    const id = await conversation();
    const { client: opB, id: opBId } = members.opB;
    expect((await opB.patch(`/api/conversations/${id}`, { assigneeId: opBId })).body.assigneeId).toBe(opBId);
    const released = await opB.patch(`/api/conversations/${id}`, { assigneeId: null });
    expect(released.status).toBe(200);
    expect(released.body.assigneeId).toBeNull();
    // Giving it to a colleague is still a manager's move.
    expect((await opB.patch(`/api/conversations/${id}`, { assigneeId: members.opA.id })).status).toBe(403);
  });

  it("supervisors and admins take over, unassign and hand out a colleague's conversation", async () => {
    const id = await conversation('opA');
    const { client: supervisor, id: supervisorId } = members.supervisor;
    expect((await supervisor.patch(`/api/conversations/${id}`, { assigneeId: supervisorId })).body.assigneeId).toBe(supervisorId);
    const { client: admin } = members.admin;
    const unassigned = await admin.patch(`/api/conversations/${id}`, { assigneeId: null });
    expect(unassigned.status).toBe(200);
    expect(unassigned.body.assigneeId).toBeNull();
    expect((await supervisor.patch(`/api/conversations/${id}`, { assigneeId: members.opA.id })).body.assigneeId).toBe(members.opA.id);
    expect((await admin.patch(`/api/conversations/${id}`, { assigneeId: members.opB.id })).body.assigneeId).toBe(members.opB.id);
  });
});
