import { describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { ThreadPool, ThreadPoolFull, ThreadStopped } from './threads.js';

type Task =
  { kind: 'echo'; text: unknown } | { kind: 'spin' } | { kind: 'hog' } | { kind: 'fail' } | { kind: 'hold' } | { kind: 'uncopyable' };
const entry = new URL('./threads.test-thread.ts', import.meta.url);
const pool = (size = 1, queue = 5) => new ThreadPool<Task, string>(entry, { size, queue, maxHeapMb: 64 });

/** The pool's inner state, to watch threads that a task holds or that wait idle. */
const inside = (p: ThreadPool<Task, string>) => p as unknown as { idle: unknown[]; busy: Map<Worker, unknown> };
const busyThread = async (p: ThreadPool<Task, string>): Promise<Worker> => {
  while (inside(p).busy.size === 0) await new Promise((resolve) => setImmediate(resolve));
  return [...inside(p).busy.keys()][0]!;
};

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

  it('a task that cannot be copied to the thread fails at once and leaves the thread in the pool', async () => {
    const p = pool();
    await p.run({ kind: 'echo', text: 'warm' }, { timeoutMs: 30_000 });
    await expect(p.run({ kind: 'echo', text: () => 'no' }, { timeoutMs: 60_000 })).rejects.toMatchObject({ name: 'DataCloneError' });
    expect(inside(p).idle).toHaveLength(1);
    expect(await p.run({ kind: 'echo', text: 'after' }, { timeoutMs: 30_000 })).toBe('after');
  });

  it('an answer that cannot be copied back, or cannot be read, fails the task instead of waiting for the deadline', async () => {
    const p = pool();
    await expect(p.run({ kind: 'uncopyable' }, { timeoutMs: 60_000 })).rejects.toThrow(/could not be cloned/);
    const held = p.run({ kind: 'hold' }, { timeoutMs: 60_000 });
    (await busyThread(p)).emit('messageerror', new Error('unreadable'));
    await expect(held).rejects.toMatchObject({ reason: 'crashed' });
    expect(await p.run({ kind: 'echo', text: 'after' }, { timeoutMs: 30_000 })).toBe('after');
  });

  it('stop() ends a running task and its thread at once; the pool starts a fresh thread afterwards', async () => {
    const p = pool();
    const spinning = p.run({ kind: 'spin' }, { timeoutMs: 60_000 });
    await busyThread(p);
    await p.stop();
    await expect(spinning).rejects.toMatchObject({ reason: 'shutdown' });
    expect(await p.run({ kind: 'echo', text: 'after' }, { timeoutMs: 30_000 })).toBe('after');
  });

  it("a thread's start-up is not charged to its first task's deadline", async () => {
    process.env.THREAD_TEST_SLOW_START = '1';
    try {
      // The thread takes over 1.5 s to load; the task itself takes a millisecond.
      expect(await pool().run({ kind: 'echo', text: 'slow start' }, { timeoutMs: 1000 })).toBe('slow start');
    } finally {
      delete process.env.THREAD_TEST_SLOW_START;
    }
  });
});
