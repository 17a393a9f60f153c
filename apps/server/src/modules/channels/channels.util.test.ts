import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './channels.util.js';

describe('sleep', () => {
  it('leaves no abort listener behind when it simply times out (poll loops sleep thousands of times)', async () => {
    const ctl = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, ctl.signal);
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
  });

  it('wakes at once when the signal aborts', async () => {
    const ctl = new AbortController();
    const woke = sleep(60_000, ctl.signal);
    ctl.abort();
    await expect(woke).resolves.toBeUndefined();
  });
});
