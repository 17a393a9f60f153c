/**
 * Asks `GET /health` every `everyMs` while `work` runs and records how long each answer took: a blocked
 * event loop shows up as a slow answer. One request at a time, so a stall is one long sample, not a pile.
 */
export async function healthLatencyDuring<T>(
  baseUrl: string,
  work: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${baseUrl}/health`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
      latenciesMs.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  try {
    return { result: await work(), latenciesMs };
  } finally {
    done = true;
    await sampler;
  }
}
