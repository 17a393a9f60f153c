import { describe, expect, it } from 'vitest';
import { ThreadStopped } from '../../platform/threads.js';
import type { SearchableChunk } from '../knowledge/knowledge.repository.js';
import { AnalysisThread } from './ai.analysis.client.js';

const chunk = (i: number, title: string, text: string): SearchableChunk => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  articleId: '00000000-0000-4000-8000-000000000000',
  kind: 'faq',
  articleTitle: title,
  headingPath: [],
  title,
  text,
  category: null,
  embedding: null,
});

describe('AnalysisThread', { timeout: 120_000 }, () => {
  it('searches an index built in the thread, and says when it holds none of that version', async () => {
    const thread = new AnalysisThread(30_000);
    const retrieve = (version: number) =>
      thread.run({ kind: 'retrieve', accountId: 'a', version, query: 'сколько идёт доставка', limit: 3, vector: null });
    expect(await retrieve(1)).toBe('missing');
    const faq = [chunk(1, 'Сколько идёт доставка?', 'Два дня.'), chunk(2, 'Как оплатить?', 'Картой.')];
    await thread.run({ kind: 'index', accountId: 'a', version: 1, chunks: faq });
    const found = await retrieve(1);
    expect(found !== 'missing' && found.hits[0]!.chunk.title).toBe('Сколько идёт доставка?');
    expect(await retrieve(2)).toBe('missing');
  });

  it('stops a task past its time limit by ending the thread; the next task runs on a fresh thread', async () => {
    // Searches get 30 s, index builds 200 ms. A thread's first task also loads its code: a search, here.
    const thread = new AnalysisThread(30_000, 200);
    const retrieve = () => thread.run({ kind: 'retrieve', accountId: 'a', version: 1, query: 'delivery', limit: 3, vector: null });
    expect(await retrieve()).toBe('missing');
    await thread.run({ kind: 'index', accountId: 'a', version: 1, chunks: [chunk(1, 'Delivery', 'Two days.')] });
    expect(await retrieve()).not.toBe('missing');

    // 20,000 passages of 100 distinct words: seconds of analysis, far past 200 ms.
    const words = (i: number) =>
      Array.from({ length: 100 }, (_, w) => `word${String.fromCharCode(97 + ((i + w) % 26))}x${(i * 100 + w).toString(36)}`);
    const big = Array.from({ length: 20_000 }, (_, i) => chunk(i, `Entry ${i}`, words(i).join(' ')));
    const stopped = await thread.run({ kind: 'index', accountId: 'b', version: 1, chunks: big }).catch((err: unknown) => err);
    expect(stopped).toBeInstanceOf(ThreadStopped);
    expect((stopped as ThreadStopped).reason).toBe('timeout');

    // A fresh thread: it answers, and the index the old one held is gone with it.
    expect(await retrieve()).toBe('missing');
  });
});
