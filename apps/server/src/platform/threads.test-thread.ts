/** A thread for threads.test.ts: echoes, spins forever, or allocates without end, as the task asks. */
import { serveThread } from './threads.js';

serveThread((task: { kind: 'echo'; text: string } | { kind: 'spin' } | { kind: 'hog' } | { kind: 'fail' }) => {
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
  }
});
