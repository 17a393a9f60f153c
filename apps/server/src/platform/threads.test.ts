import { describe, expect, it } from 'vitest';
import { ThreadPool, ThreadPoolFull, ThreadStopped } from './threads.js';

type Task = { kind: 'echo'; text: string } | { kind: 'spin' } | { kind: 'hog' } | { kind: 'fail' };
const entry = new URL('./threads.test-thread.ts', import.meta.url);
const pool = (size = 1, queue = 5) => new ThreadPool<Task, string>(entry, { size, queue, maxHeapMb: 64 });

describe('ThreadPool', () => {
  it('answers tasks, passes a task error on, and keeps working after it', async () => {
    const p = pool();
    expect(await p.run({ kind: 'echo', text: 'one' }, { timeoutMs: 30_000 })).toBe('one');
    await expect(p.run({ kind: 'fail' }, { timeoutMs: 30_000 })).rejects.toThrow('the task failed');
    expect(await p.run({ kind: 'echo', text: 'two' }, { timeoutMs: 30_000 })).toBe('two');
  });

  it('terminates a thread that never yields at the deadline; the next task gets a fresh thread', async () => {
    const p = pool();
    await p.run({ kind: 'echo', text: 'warm' }, { timeoutMs: 30_000 });
    await expect(p.run({ kind: 'spin' }, { timeoutMs: 200 })).rejects.toMatchObject({ reason: 'timeout' });
    expect(await p.run({ kind: 'echo', text: 'after' }, { timeoutMs: 30_000 })).toBe('after');
  });

  it('stops a thread that outgrows its heap as out_of_memory', async () => {
    const err: unknown = await pool()
      .run({ kind: 'hog' }, { timeoutMs: 60_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThreadStopped);
    expect(err).toMatchObject({ reason: 'out_of_memory' });
  });

  it('a cancelled task is stopped, a cancelled waiting task leaves the line, and a full line is refused', async () => {
    const p = pool(1, 1);
    const running = new AbortController();
    const spinning = p.run({ kind: 'spin' }, { timeoutMs: 60_000, signal: running.signal });
    const waiting = new AbortController();
    const queued = p.run({ kind: 'echo', text: 'never' }, { timeoutMs: 60_000, signal: waiting.signal });
    await expect(p.run({ kind: 'echo', text: 'no room' }, { timeoutMs: 60_000 })).rejects.toBeInstanceOf(ThreadPoolFull);
    waiting.abort();
    await expect(queued).rejects.toMatchObject({ reason: 'aborted' });
    running.abort();
    await expect(spinning).rejects.toMatchObject({ reason: 'aborted' });
    expect(await p.run({ kind: 'echo', text: 'next' }, { timeoutMs: 30_000 })).toBe('next');
  });

  it('a task cancelled right after it was handed in is stopped too', async () => {
    const p = pool();
    const late = new AbortController();
    const spinning = p.run({ kind: 'spin' }, { timeoutMs: 60_000, signal: late.signal });
    late.abort();
    await expect(spinning).rejects.toMatchObject({ reason: 'aborted' });
  });
});
