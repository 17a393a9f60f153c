import { loadRuSupportDev } from './ru-support.data.js';
import { judgeOffline, summary } from './ru-support.offline.js';
import { printRuSupport } from './ru-support.report.js';

const set = await loadRuSupportDev();
const judged = await judgeOffline(set);
printRuSupport({ ...summary(judged, set), threshold: 0.5 }, 'ru-support-dev, in process (same decide and index, no server)');
if (process.argv.includes('--misses')) {
  for (const j of judged) {
    const ok = j.expected === null ? j.handedOver && j.answeredWith === null : j.answeredWith === j.expected;
    if (!ok)
      console.log(
        `${j.domain.slice(0, 5)} want ${String(j.expected ?? `human:${j.why}`).padEnd(26)} got ${String(j.answeredWith ?? j.reason).padEnd(24)} top ${String(j.topFaq).padEnd(24)} ${j.confidence.toFixed(2)}  ${j.text}`,
      );
  }
}
