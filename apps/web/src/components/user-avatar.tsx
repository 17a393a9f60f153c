import { Avatar, type AvatarProps } from '@mantine/core';

const COLORS = ['blue', 'teal', 'grape', 'orange', 'cyan', 'pink', 'indigo', 'lime', 'violet', 'red'] as const;

/** A stable colour per person, so the same contact looks the same everywhere. */
function colorFor(seed: string): (typeof COLORS)[number] {
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) | 0;
  return COLORS[Math.abs(hash) % COLORS.length] ?? 'blue';
}

export function initials(name: string): string {
  const parts = name.replace(/^@/, '').trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]?.[0] ?? ''}${parts[1]?.[0] ?? ''}` : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

export function UserAvatar({ name, seed, ...props }: { name: string; seed: string } & Omit<AvatarProps, 'color'>) {
  return (
    <Avatar color={colorFor(seed)} variant="light" radius="xl" {...props}>
      {initials(name)}
    </Avatar>
  );
}
