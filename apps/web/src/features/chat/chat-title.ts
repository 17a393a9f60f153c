import type { ChatChannel } from '@switchboard/shared';

/** A channel's name as people see it: its name, or the other people of a direct conversation. */
export function channelTitle(c: ChatChannel, meId: string): string {
  if (c.kind !== 'direct') return c.name ?? '';
  const others = c.members.filter((m) => m.userId !== meId).map((m) => m.name);
  return others.length ? others.join(', ') : (c.members[0]?.name ?? '');
}
