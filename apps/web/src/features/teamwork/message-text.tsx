import { Anchor } from '@mantine/core';
import { useMemo } from 'react';
import { useTeammates } from '../conversation/use-messages';
import { linkify } from './linkify';

/** Message text with safe, clickable links (new tab, no opener) and highlighted @mentions. */
export function MessageText({ text, mentions }: { text: string; mentions?: string[] | undefined }) {
  const teammates = useTeammates();
  const names = useMemo(() => (mentions ?? []).map((id) => teammates.get(id)?.name ?? '').filter(Boolean), [mentions, teammates]);
  const parts = useMemo(() => linkify(text, names), [text, names]);
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'link' ? (
          <Anchor
            key={i}
            href={p.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            inherit
            underline="always"
            data-testid="message-link"
          >
            {p.text}
          </Anchor>
        ) : p.kind === 'mention' ? (
          <strong key={i} data-testid="message-mention" style={{ color: 'var(--mantine-color-blue-7)' }}>
            {p.text}
          </strong>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
