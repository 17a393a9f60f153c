import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from './support/harness.js';
import { SseReader } from './support/sse.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

/** A fresh session of the owner and its open event stream. */
async function signedInStream() {
  const client = t.anonymous();
  expect((await client.login(OWNER.email, OWNER.password)).status).toBe(200);
  const stream = await SseReader.open(`${t.url}/api/events`, { cookie: client.cookie! });
  expect(stream.status).toBe(200);
  return { client, stream };
}

const closedWithinSeconds = (stream: SseReader, what: string) => eventually(() => stream.ended, 15_000, what);

describe('event streams end when their credentials do', () => {
  it('sign-out closes the streams of that session only', async () => {
    const leaving = await signedInStream();
    const staying = await signedInStream();
    expect((await leaving.client.post('/api/auth/logout')).status).toBe(204);
    await closedWithinSeconds(leaving.stream, 'the signed-out stream to close');
    // Both were checked in the same pass: the other session's stream is still open.
    expect(staying.stream.ended).toBe(false);
    staying.stream.close();
  });

  it('signing out everywhere closes every stream of the user', async () => {
    const a = await signedInStream();
    const b = await signedInStream();
    expect((await a.client.post('/api/auth/logout-all')).status).toBe(204);
    await closedWithinSeconds(a.stream, 'the first stream to close');
    await closedWithinSeconds(b.stream, 'the second stream to close');
    await t.owner.login(OWNER.email, OWNER.password);
  });

  it('revoking an API token closes the streams opened with it', async () => {
    const created = await t.owner.post('/api/tokens', { name: 'dashboard' });
    const other = await t.owner.post('/api/tokens', { name: 'kept' });
    const revoked = await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${created.body.token}` });
    const kept = await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${other.body.token}` });
    expect(revoked.status).toBe(200);
    expect((await t.owner.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    await closedWithinSeconds(revoked, 'the revoked token stream to close');
    expect(kept.ended).toBe(false);
    kept.close();
    // Reconnecting with it is refused.
    expect((await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${created.body.token}` })).status).toBe(401);
  });
});
