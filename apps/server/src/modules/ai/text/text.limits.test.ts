import { describe, expect, it } from 'vitest';
import { AI_TEXT_LIMIT, forAnalysis } from './text.limits.js';

describe('forAnalysis', () => {
  it('keeps a text up to the limit as it is', () => {
    const text = 'я'.repeat(AI_TEXT_LIMIT);
    expect(forAnalysis(text)).toBe(text);
  });

  it('keeps the first AI_TEXT_LIMIT characters of a longer text', () => {
    expect(forAnalysis('a'.repeat(1_000_000))).toHaveLength(AI_TEXT_LIMIT);
    expect(forAnalysis('abcdef', 3)).toBe('abc');
  });

  it('does not split an emoji at the cut', () => {
    expect(forAnalysis('ab😀cd', 3)).toBe('ab');
    expect(forAnalysis('ab😀cd', 4)).toBe('ab😀');
  });
});
