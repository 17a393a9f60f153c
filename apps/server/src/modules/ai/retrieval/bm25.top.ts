interface Scored {
  slot: number;
  score: number;
}

/** Whether `a` ranks before `b`: higher score first, then the earlier slot (stable, deterministic). */
const before = (a: Scored, b: Scored) => a.score > b.score || (a.score === b.score && a.slot < b.slot);

/**
 * The best `limit` of a stream of scored slots, kept in a min-heap of size `limit`: O(n log limit) instead
 * of sorting every matching document, which matters when a common query term matches thousands.
 */
export class TopHits {
  private readonly heap: Scored[] = [];

  constructor(private readonly limit: number) {}

  offer(slot: number, score: number): void {
    const item = { slot, score };
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(item);
      this.siftUp(heap.length - 1);
    } else if (before(item, heap[0]!)) {
      heap[0] = item;
      this.siftDown(0);
    }
  }

  /** The kept hits, best first. */
  sorted(): Scored[] {
    return [...this.heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /** The root is the worst kept hit: a parent never ranks before its children. */
  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && before(heap[worst]!, heap[left]!)) worst = left;
      if (right < heap.length && before(heap[worst]!, heap[right]!)) worst = right;
      if (worst === i) return;
      [heap[worst], heap[i]] = [heap[i]!, heap[worst]!];
      i = worst;
    }
  }
}
