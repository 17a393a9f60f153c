/**
 * `npx tsx bench/ai/ru-support.run.ts`: the ru-support-dev benchmark alone (end to end through a real
 * server), as a per-business table and curve. `--misses` also lists every message not handled right.
 */
import { runRuSupportBench } from './ru-support.js';
import { printRuSupport } from './ru-support.report.js';

const r = await runRuSupportBench();
printRuSupport(r);
if (process.argv.includes('--misses')) {
  for (const j of r.judged) {
    const ok = j.expected === null ? j.handedOver && j.answeredWith === null : j.answeredWith === j.expected;
    if (!ok)
      console.log(
        `${j.domain.padEnd(16)} want ${String(j.expected ?? `human:${j.why}`).padEnd(28)} got ${String(j.answeredWith ?? j.reason).padEnd(28)} top ${String(j.topFaq).padEnd(26)} ${j.confidence.toFixed(2)}  ${j.text}`,
      );
  }
}
