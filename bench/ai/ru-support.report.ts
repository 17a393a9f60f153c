import type { CurvePoint, Score } from './ru-support.data.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The per-business table (right / wrong / handed over against the targets) and each business's curve. */
export function printRuSupport(
  r: { overall: Score; businesses: Record<string, Score & { curve: CurvePoint[] }>; threshold: number },
  title = 'ru-support-dev, end to end through the assistant',
) {
  const rows = Object.entries({ ...r.businesses, overall: r.overall }).map(([business, s]) => ({
    business,
    answerable: s.answerable,
    human: s.human,
    'right (≥85%)': pct(s.right),
    'wrong (≤5%)': pct(s.wrong),
    'handed over (≥80%)': pct(s.handover),
    ok: s.right >= 0.85 && s.wrong <= 0.05 && s.handover >= 0.8 ? 'yes' : 'NO',
  }));
  console.log(`\n${title} (threshold ${r.threshold})`);
  console.table(rows);
  console.log('coverage/accuracy curve: threshold → answered / right / wrong (shares of answerable), must-be-human answered');
  for (const [business, s] of Object.entries(r.businesses)) {
    console.log(
      `  ${business.padEnd(16)} ${s.curve
        .map((p) => `${p.threshold.toFixed(1)}: ${pct(p.answered)}/${pct(p.right)}/${pct(p.wrong)}/${pct(p.humanAnswered)}`)
        .join('  ')}`,
    );
  }
}
