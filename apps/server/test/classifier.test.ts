import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let botToken: string;

const EXAMPLES: [string, string][] = [
  ['хочу вернуть товар, не подошёл размер', 'returns'],
  ['как оформить возврат денег', 'returns'],
  ['верните деньги за заказ, товар бракованный', 'returns'],
  ['можно ли сдать обратно куртку', 'returns'],
  ['оформите возврат, пожалуйста', 'returns'],
  ['товар пришёл с дефектом, хочу вернуть', 'returns'],
  ['когда приедет мой заказ', 'delivery'],
  ['где курьер, жду доставку', 'delivery'],
  ['сколько идёт доставка в казань', 'delivery'],
  ['трек номер посылки не обновляется', 'delivery'],
  ['можно доставить завтра утром', 'delivery'],
  ['доставка опаздывает на два дня', 'delivery'],
];

beforeAll(async () => {
  t = await startTestApp();
  botToken = t.telegram.addBot();
  const ch = await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Shop',
    config: { botToken, mode: 'webhook', assistant: { enabled: true } },
  });
  expect(ch.status).toBe(201);
});
afterAll(async () => t?.stop());

async function train() {
  const started = await t.owner.post('/api/ai/classifier/train');
  expect(started.status).toBe(202);
  return eventually(
    async () => {
      const status = (await t.owner.get('/api/ai/classifier')).body;
      const model = status.models.find((m: { id: string }) => m.id === started.body.id);
      return model?.status === 'ready' ? model : null;
    },
    20_000,
    'a trained classifier',
  );
}

describe('conversation classification', () => {
  it('refuses to train without labelled examples', async () => {
    const res = await t.owner.post('/api/ai/classifier/train');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/examples/);
  });

  it('rejects an examples file without text/label columns', async () => {
    const res = await t.owner.upload('/api/ai/classifier/examples', { name: 'x.csv', content: 'a,b\n1,2\n' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_import');
  });

  it('trains from a CSV, predicts every conversation, hands "always human" categories to people, and learns from corrections', async () => {
    const csv = `text,label\n${EXAMPLES.map(([text, label]) => `"${text}",${label}`).join('\n')}\n`;
    expect((await t.owner.upload('/api/ai/classifier/examples', { name: 'labels.csv', content: csv })).body.imported).toBe(EXAMPLES.length);
    const v1 = await train();
    expect(v1).toMatchObject({ version: 1, active: true });
    expect(v1.report.labels).toBe(2);

    expect((await t.owner.post('/api/ai/categories', { name: 'returns', alwaysHuman: true })).status).toBe(201);
    expect((await t.owner.post('/api/ai/categories', { name: 'returns', alwaysHuman: true })).status).toBe(409);

    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 4401, text: 'хочу вернуть куртку, не подошёл размер' }));
    const conv = await eventually(async () => {
      const c = (await t.owner.get('/api/conversations?status=all')).body.items.find(
        (x: { contact: { externalId: string } }) => x.contact.externalId === '4401',
      );
      return c?.status === 'queued' ? c : null;
    });
    expect(conv.category).toBe('returns');
    expect(conv.categoryConfidence).toBeGreaterThan(0.5);
    expect((await t.owner.get('/api/ai/metrics')).body.handoversByReason.always_human_category).toBe(1);

    const corrected = await t.owner.patch(`/api/conversations/${conv.id}`, { category: 'delivery' });
    expect(corrected.body.category).toBe('delivery');
    const metrics = (await t.owner.get('/api/ai/metrics')).body.classification;
    expect(metrics).toEqual({ reviewed: 1, corrected: 1, accuracy: 0 });
    expect((await t.owner.get('/api/ai/classifier')).body.examples).toBe(EXAMPLES.length + 1);

    const v2 = await train();
    expect(v2).toMatchObject({ version: 2, active: true });
    const models = (await t.owner.get('/api/ai/classifier')).body.models;
    expect(models.filter((m: { active: boolean }) => m.active)).toHaveLength(1);
  });
});
