/**
 * Asks `GET /health` every `everyMs` while `work` runs and records how late each answer came: a blocked
 * event loop shows up as a late answer. The server may run in this very process, where a blocked loop also
 * delays the sampler's own timer, so each answer is measured from when it was due, not from when the
 * request could finally be sent. One request at a time, so a stall is one long sample, not a pile.
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
      const due = performance.now() + everyMs;
      await new Promise((r) => setTimeout(r, everyMs));
      const res = await fetch(`${baseUrl}/health`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
      latenciesMs.push(performance.now() - due);
    }
  })();
  try {
    return { result: await work(), latenciesMs };
  } finally {
    done = true;
    await sampler;
  }
}
