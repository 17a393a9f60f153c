import { Box, Group, Text } from '@mantine/core';
import type { EvaluationPoint } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

const W = 480;
const H = 220;
const PAD = { left: 36, right: 12, top: 10, bottom: 28 };
const SERIES = [
  { key: 'coverage', color: 'var(--mantine-color-blue-6)' },
  { key: 'right', color: 'var(--mantine-color-teal-6)' },
  { key: 'wrong', color: 'var(--mantine-color-red-6)' },
] as const;

const x = (t: number) => PAD.left + t * (W - PAD.left - PAD.right);
const y = (share: number) => PAD.top + (1 - share) * (H - PAD.top - PAD.bottom);

/**
 * Coverage (answered by the bot), right and wrong answers as the threshold moves from 0 to 1; the dashed
 * line is the account's threshold, the solid one the threshold being looked at. Clicking picks a threshold.
 */
export function EvaluationCurve({
  curve,
  current,
  selected,
  onPick,
}: {
  curve: EvaluationPoint[];
  current: number;
  selected: number;
  onPick: (threshold: number) => void;
}) {
  const { t } = useTranslation();
  const pick = (e: React.MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const at = ((e.clientX - box.left) / box.width) * W;
    const threshold = Math.min(1, Math.max(0, (at - PAD.left) / (W - PAD.left - PAD.right)));
    onPick(Math.round(threshold * 100) / 100);
  };
  return (
    <Box data-testid="evaluation-curve">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={t('aiLoop.evaluation.curveLabel')}
        onClick={pick}
        style={{ cursor: 'crosshair', display: 'block', maxHeight: 260 }}
      >
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="var(--mantine-color-default-border)" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(v) + 4} fontSize={10} textAnchor="end" fill="var(--mantine-color-dimmed)">
              {Math.round(v * 100)}%
            </text>
            <text x={x(v)} y={H - 8} fontSize={10} textAnchor="middle" fill="var(--mantine-color-dimmed)">
              {Math.round(v * 100)}%
            </text>
          </g>
        ))}
        {SERIES.map((s) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={curve.map((p) => `${x(p.threshold)},${y(p[s.key])}`).join(' ')}
            data-series={s.key}
          />
        ))}
        <line x1={x(current)} x2={x(current)} y1={PAD.top} y2={H - PAD.bottom} stroke="var(--mantine-color-gray-6)" strokeDasharray="4 3" />
        <line x1={x(selected)} x2={x(selected)} y1={PAD.top} y2={H - PAD.bottom} stroke="var(--mantine-color-violet-6)" strokeWidth={2} />
      </svg>
      <Group gap="md" justify="center" mt={4}>
        {SERIES.map((s) => (
          <Group key={s.key} gap={6}>
            <div style={{ width: 12, height: 3, background: s.color }} />
            <Text fz="xs">{t(`aiLoop.evaluation.series.${s.key}`)}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
