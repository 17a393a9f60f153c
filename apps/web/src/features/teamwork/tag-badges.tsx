import { Badge, Group } from '@mantine/core';
import { useTagMap } from './use-teamwork';

/** The coloured tags of a conversation or contact (unknown ids — a tag just deleted — are left out). */
export function TagBadges({ tagIds, size = 'xs', max }: { tagIds: string[]; size?: 'xs' | 'sm'; max?: number }) {
  const tags = useTagMap();
  const shown = tagIds.map((id) => tags.get(id)).filter((t) => t !== undefined);
  if (shown.length === 0) return null;
  const visible = max ? shown.slice(0, max) : shown;
  return (
    <Group gap={4} wrap="wrap" style={{ rowGap: 2 }} data-testid="tag-badges">
      {visible.map((t) => (
        <Badge key={t.id} size={size} variant="light" color={t.color} tt="none" maw={120} title={t.name} data-testid="tag-badge">
          {t.name}
        </Badge>
      ))}
      {max && shown.length > max && (
        <Badge size={size} variant="outline" color="gray">
          +{shown.length - max}
        </Badge>
      )}
    </Group>
  );
}
