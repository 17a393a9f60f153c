import { aiSettings } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { ThreadStopped } from '../../platform/threads.js';
import type { AiRuntime } from '../ai/ai.runtime.js';
import { AI_TEXT_LIMIT } from '../ai/text/text.limits.js';
import { decide } from './assistant.decide.js';

const settings = aiSettings.parse({});

/** A runtime whose knowledge search records its queries and then fails as the analysis thread would. */
function stoppedSearch() {
  const queries: string[] = [];
  const ai = {
    retrieve: (_accountId: string, query: string) => {
      queries.push(query);
      return Promise.reject(new ThreadStopped('timeout', 'The task took longer than 10000 ms'));
    },
  } as unknown as AiRuntime;
  return { ai, queries };
}

const input = (text: string) => ({ accountId: 'a', text, settings, llm: null, alwaysHuman: false });

describe('decide', () => {
  it('hands over (analysis_failed) when the search is stopped at its time limit, instead of failing', async () => {
    const { ai } = stoppedSearch();
    const d = await decide(ai, input('How long does delivery take?'));
    expect(d).toMatchObject({ action: 'handover', reason: 'analysis_failed', text: settings.handoverMessage.en, confidence: 0 });
  });

  it('reads only the first AI_TEXT_LIMIT characters of a huge message', async () => {
    const { ai, queries } = stoppedSearch();
    await decide(ai, input(`How long does delivery take? ${'x'.repeat(1_000_000)}`));
    expect(queries).toHaveLength(1);
    expect(queries[0]!.length).toBe(AI_TEXT_LIMIT);
    expect(queries[0]!.startsWith('How long does delivery take?')).toBe(true);
  });

  it('lets other failures through (the job retries them)', async () => {
    const ai = { retrieve: () => Promise.reject(new Error('connection terminated')) } as unknown as AiRuntime;
    await expect(decide(ai, input('How long does delivery take?'))).rejects.toThrow('connection terminated');
  });
});
