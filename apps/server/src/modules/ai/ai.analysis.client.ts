import { ThreadPool, ThreadPoolFull, ThreadStopped } from '../../platform/threads.js';
import type { AnalysisResult, AnalysisResults, AnalysisTask } from './ai.analysis.js';

/** Building an index or loading a model starts from scratch: more time than one message's analysis. */
const BUILD_TIME_FACTOR = 3;

/**
 * The process's analysis thread (one: it holds every account's index, and the work is short). Each task
 * runs under a hard time limit: past it the thread is terminated, the task fails with ThreadStopped, and
 * the next task starts a fresh thread. An idle thread keeps its caches for half an hour.
 */
export class AnalysisThread {
  private readonly pool = new ThreadPool<AnalysisTask, AnalysisResult>(new URL('./ai.analysis.thread.ts', import.meta.url), {
    size: 1,
    queue: 500,
    maxHeapMb: 2048,
    idleMs: 30 * 60_000,
  });

  constructor(
    private readonly timeoutMs: number,
    private readonly buildTimeoutMs = timeoutMs * BUILD_TIME_FACTOR,
  ) {}

  /** @throws ThreadStopped past the task's time limit (or the thread's heap), ThreadPoolFull when the line is full. */
  run<K extends AnalysisTask['kind']>(task: Extract<AnalysisTask, { kind: K }>): Promise<AnalysisResults[K]> {
    const build = task.kind === 'index' || task.kind === 'model';
    return this.pool.run(task, { timeoutMs: build ? this.buildTimeoutMs : this.timeoutMs }) as Promise<AnalysisResults[K]>;
  }
}

/** Whether the analysis of a text was stopped (time or memory limit, a crash): retrying would only stop again. */
export const analysisStopped = (err: unknown): err is ThreadStopped => err instanceof ThreadStopped;

/** Whether the analysis thread's line was full (a burst): worth retrying later. */
export const analysisBusy = (err: unknown): err is ThreadPoolFull => err instanceof ThreadPoolFull;
