import { describe, expect, it } from 'vitest';
import { percentile, type Histogram } from './reports.repository.js';

/** Buckets the way the SQL does. */
function histogram(values: number[]): Histogram {
  const h: Histogram = { count: 0, buckets: new Map() };
  for (const v of values) {
    const b = Math.floor(Math.log(1 + v) / Math.log(1.05));
    h.count++;
    h.buckets.set(b, (h.buckets.get(b) ?? 0) + 1);
  }
  return h;
}

function exact(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
}

describe('percentiles from logarithmic buckets', () => {
  it('are within 5 % of the exact value on spread-out durations', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.round(30 + ((i * 7919) % 5000) * 3.7 + (i % 13) * 100));
    for (const p of [0.5, 0.9]) {
      const got = percentile(histogram(values), p)!;
      expect(Math.abs(got - exact(values, p)) / exact(values, p)).toBeLessThan(0.05);
    }
  });

  it('say zero for zero, and nothing for no data', () => {
    expect(percentile(histogram([0, 0, 0]), 0.5)).toBe(0);
    expect(percentile({ count: 0, buckets: new Map() }, 0.5)).toBeNull();
  });
});
