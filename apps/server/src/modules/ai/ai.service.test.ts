import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import { ThreadPoolFull, ThreadStopped } from '../../platform/threads.js';
import type { KnowledgeRepository } from '../knowledge/knowledge.repository.js';
import type { AnalysisThread } from './ai.analysis.client.js';
import { KnowledgeSearch } from './ai.search.js';
import { unanalysable } from './ai.service.js';

const thrown = (err: unknown) => {
  try {
    unanalysable(err);
  } catch (e) {
    return e;
  }
};

describe('unanalysable', () => {
  it('answers a search stopped at its time limit, or refused in a burst, with 503', () => {
    const stopped = thrown(new ThreadStopped('timeout', 'The task took longer than 10000 ms'));
    expect(stopped).toBeInstanceOf(AppError);
    expect(stopped).toMatchObject({ code: 'service_unavailable', status: 503 });
    const busy = thrown(new ThreadPoolFull('Every thread is busy and the line is full'));
    expect(busy).toMatchObject({ code: 'service_unavailable', status: 503, headers: { 'retry-after': '5' } });
  });

  it('answers 503 when the analysis thread keeps answering that it holds no index', async () => {
    const repo = { indexVersion: () => Promise.resolve(1), searchable: () => Promise.resolve([]) } as unknown as KnowledgeRepository;
    const analysis = {
      run: (task: { kind: string }) => Promise.resolve(task.kind === 'retrieve' ? 'missing' : undefined),
    } as unknown as AnalysisThread;
    const err: unknown = await new KnowledgeSearch(repo, analysis)
      .retrieve('account', 'returns', 5)
      .catch(unanalysable)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'service_unavailable', status: 503 });
  });

  it('lets any other error through', () => {
    const other = new Error('connection terminated');
    expect(thrown(other)).toBe(other);
  });
});
