import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * Hostile or CPU-heavy work (document parsing, imports) runs in worker threads with limits that really
 * stop it: a promise race on the main thread cannot, because a synchronous parser never yields to let
 * the race settle. A thread past its deadline, over its heap or no longer wanted is terminated.
 */
export interface ThreadPoolOptions {
  /** Threads working at once; later tasks wait in line. */
  size: number;
  /** Tasks that may wait; past that {@link ThreadPoolFull} is thrown at once. */
  queue: number;
  /** V8 heap ceiling of each thread; Buffers and typed arrays live outside it, so inflation needs its own checks. */
  maxHeapMb: number;
  /** An idle thread is ended after this long, giving its memory back. */
  idleMs?: number;
}

export interface TaskLimits {
  /** Wall-clock time after which the thread is terminated (waiting in line not included). */
  timeoutMs: number;
  /** Ends the task early (or takes it out of the line), e.g. when the client has gone. */
  signal?: AbortSignal | undefined;
}

export type ThreadStopReason = 'timeout' | 'out_of_memory' | 'aborted' | 'crashed' | 'shutdown';

/** The task was stopped before its thread answered. */
export class ThreadStopped extends Error {
  override readonly name = 'ThreadStopped';
  constructor(
    readonly reason: ThreadStopReason,
    message: string,
  ) {
    super(message);
  }
}

/** Every thread is busy and the line is full. */
export class ThreadPoolFull extends Error {
  override readonly name = 'ThreadPoolFull';
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** A thread's first message: its module graph has loaded and it takes tasks (deadlines start from here). */
const READY = 'thread-ready';
/** How long a new thread may take to load before its task is stopped (tsx compiles sources on the fly). */
const STARTUP_TIMEOUT_MS = 60_000;
/** Young generation of a thread (MB); see spawn(). */
const YOUNG_GENERATION_MB = 16;

/** Every pool of the process, so that shutdown can end their threads ({@link stopAllThreads}). */
const pools = new Set<ThreadPool<unknown, unknown>>();

/** Terminates every thread of every pool (their tasks fail as 'shutdown'); the pools stay usable. */
export async function stopAllThreads(): Promise<void> {
  await Promise.all([...pools].map((p) => p.stop()));
}

/**
 * Threads running the module `entry` (which calls {@link serveThread}), kept warm between tasks: starting
 * one costs a module graph load (seconds under tsx). Pass the module's `.ts` URL: from sources (tests,
 * tsx) it is loaded through tsx; in the build it is the `.js` file of the same name next to main.js (one
 * entry point per thread in build.mjs).
 */
export class ThreadPool<I, O> {
  private readonly idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];
  private readonly line: (() => void)[] = [];
  private readonly ready = new WeakSet<Worker>();
  /** Threads working on a task, with the way to stop that task. */
  private readonly busy = new Map<Worker, (reason: ThreadStopReason, message: string) => void>();
  private running = 0;

  constructor(
    private readonly entry: URL,
    private readonly opts: ThreadPoolOptions,
  ) {
    pools.add(this);
  }

  /** Stops every running task and ends every thread (a later task starts a fresh one). */
  async stop(): Promise<void> {
    const idle = this.idle.splice(0).map(({ worker, timer }) => {
      clearTimeout(timer);
      return worker.terminate();
    });
    for (const stopTask of [...this.busy.values()]) stopTask('shutdown', 'The server is shutting down');
    await Promise.all(idle);
  }

  async run(input: I, limits: TaskLimits): Promise<O> {
    await this.turn(limits.signal);
    try {
      // Cancelled while it waited for its turn (an abort listener added now would never fire).
      if (limits.signal?.aborted) throw new ThreadStopped('aborted', 'The task was cancelled');
      return await this.runOn(this.takeIdle() ?? this.spawn(), input, limits);
    } finally {
      this.running--;
      this.line.shift()?.();
    }
  }

  /** Resolves once the task holds a thread slot (taken synchronously, so two callers never share one). */
  private turn(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new ThreadStopped('aborted', 'The task was cancelled'));
    if (this.running < this.opts.size && this.line.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    if (this.line.length >= this.opts.queue) return Promise.reject(new ThreadPoolFull('Every thread is busy and the line is full'));
    return new Promise((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', leave);
        this.running++;
        resolve();
      };
      const leave = () => {
        this.line.splice(this.line.indexOf(go), 1);
        reject(new ThreadStopped('aborted', 'The task was cancelled'));
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.line.push(go);
    });
  }

  private runOn(worker: Worker, input: I, limits: TaskLimits): Promise<O> {
    worker.ref();
    return new Promise<O>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (reuse: boolean, done: () => void) => {
        clearTimeout(timer);
        this.busy.delete(worker);
        limits.signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage).off('messageerror', onMessageError).off('error', onError).off('exit', onExit);
        if (reuse) this.keepIdle(worker);
        else void worker.terminate();
        done();
      };
      const stop = (reason: ThreadStopReason, message: string) => settle(false, () => reject(new ThreadStopped(reason, message)));
      const onAbort = () => stop('aborted', 'The task was cancelled');
      // The deadline counts the task's own work: a new thread's start-up has a separate, generous limit.
      const startDeadline = () => {
        clearTimeout(timer);
        timer = setTimeout(() => stop('timeout', `The task took longer than ${limits.timeoutMs} ms`), limits.timeoutMs);
      };
      if (this.ready.has(worker)) startDeadline();
      else timer = setTimeout(() => stop('timeout', `The thread did not start within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
      limits.signal?.addEventListener('abort', onAbort, { once: true });
      const onMessage = (m: Outcome<O> | typeof READY) => {
        if (m === READY) return startDeadline();
        settle(true, () => (m.ok ? resolve(m.value) : reject(new Error(m.error))));
      };
      // An answer that cannot be read here would otherwise leave the task waiting for its deadline.
      const onMessageError = () => stop('crashed', "The thread's answer could not be read");
      const onError = (err: Error & { code?: string }) =>
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? stop('out_of_memory', `The task needed more than ${this.opts.maxHeapMb} MB`)
          : settle(false, () => reject(err));
      const onExit = (code: number) => stop('crashed', `The thread stopped unexpectedly (exit ${code})`);
      worker.on('message', onMessage).on('messageerror', onMessageError).on('error', onError).on('exit', onExit);
      this.busy.set(worker, stop);
      try {
        worker.postMessage(input);
      } catch (err) {
        // A value that cannot be copied (a function, a socket): the thread never saw it and stays usable.
        settle(true, () => reject(err instanceof Error ? err : new Error(String(err))));
      }
    });
  }

  private spawn(): Worker {
    // An explicit, small young generation: on Node 24 the default one is so large that a thread
    // allocating fast can overshoot the raised limit V8 grants it while stopping, and that aborts the
    // whole process (FATAL ERROR: Reached heap limit) instead of ending the thread with ERR_WORKER_OUT_OF_MEMORY.
    const resourceLimits = { maxOldGenerationSizeMb: this.opts.maxHeapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
    const worker = new Worker(threadUrl(this.entry), { resourceLimits });
    worker.once('message', () => this.ready.add(worker)); // the first message is READY
    // A thread that fails while idle is dropped (an 'error' without a listener would end the process).
    worker.on('error', () => this.dropIdle(worker)).on('exit', () => this.dropIdle(worker));
    return worker;
  }

  private dropIdle(worker: Worker): void {
    const at = this.idle.findIndex((k) => k.worker === worker);
    if (at === -1) return;
    clearTimeout(this.idle[at]!.timer);
    this.idle.splice(at, 1);
  }

  private takeIdle(): Worker | undefined {
    const kept = this.idle.pop();
    if (kept) clearTimeout(kept.timer);
    return kept?.worker;
  }

  private keepIdle(worker: Worker): void {
    worker.unref(); // an idle thread never keeps the process alive
    const timer = setTimeout(() => {
      this.dropIdle(worker);
      void worker.terminate();
    }, this.opts.idleMs ?? 60_000).unref();
    this.idle.push({ worker, timer });
  }
}

/** The thread's side: answers each task posted to it with `work`'s result (or its error's message). */
export function serveThread<I, O>(work: (input: I) => Promise<O> | O): void {
  const port = parentPort;
  if (!port) throw new Error('serveThread must run in a worker thread');
  const fail = (err: unknown) =>
    port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Outcome<O>);
  port.on('message', (input: I) => {
    Promise.resolve()
      .then(() => work(input))
      // An answer that cannot be copied back is the task's failure, not the thread's.
      .then((value) => port.postMessage({ ok: true, value } satisfies Outcome<O>))
      .catch(fail);
  });
  port.postMessage(READY);
}

function threadUrl(entry: URL): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL(entry.href.replace(/\.ts$/, '.js'));
  // Sources: the thread registers tsx's loader itself (Node 20 workers ignore `--import`).
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const loader = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const source = `import { register } from ${JSON.stringify(loader)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
