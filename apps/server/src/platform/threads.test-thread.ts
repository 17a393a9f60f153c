/** A thread for threads.test.ts: echoes, spins forever, allocates without end, never answers or answers with a function, as the task asks. */
import { serveThread } from './threads.js';

type Task =
  { kind: 'echo'; text: string } | { kind: 'spin' } | { kind: 'hog' } | { kind: 'fail' } | { kind: 'hold' } | { kind: 'uncopyable' };

// A thread whose module takes a while to load, to show that start-up is not charged to the task.
if (process.env.THREAD_TEST_SLOW_START) await new Promise((resolve) => setTimeout(resolve, 1500));

serveThread((task: Task): unknown => {
  switch (task.kind) {
    case 'echo':
      return task.text;
    case 'spin':
      for (;;); // never yields: only terminating the thread stops it
    case 'hog': {
      const kept: string[][] = [];
      for (;;) kept.push(Array.from({ length: 1e5 }, (_, i) => `item ${i}`));
    }
    case 'fail':
      throw new Error('the task failed');
    case 'hold':
      return new Promise(() => undefined);
    case 'uncopyable':
      return () => 'a function cannot be copied';
  }
});
