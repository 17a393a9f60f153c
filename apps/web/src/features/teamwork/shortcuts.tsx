import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import type { Conversation } from '@switchboard/shared';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** Asks the reply box to take the focus, for a reply or a private note (keyboard shortcuts r and n). */
export const COMPOSE_EVENT = 'switchboard:compose';
export type ComposeMode = 'reply' | 'note';

export function requestCompose(mode: ComposeMode): void {
  window.dispatchEvent(new CustomEvent<ComposeMode>(COMPOSE_EVENT, { detail: mode }));
}

/** Typing in a field (or an open menu's search) is never a shortcut. */
function typingInField(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.closest('[role="dialog"]') !== null;
}

const SHORTCUTS: { keys: string[][]; label: 'next' | 'previous' | 'reply' | 'note' | 'resolve' | 'assignMe' | 'search' | 'help' }[] = [
  { keys: [['j'], ['Alt', '↓']], label: 'next' },
  { keys: [['k'], ['Alt', '↑']], label: 'previous' },
  { keys: [['r']], label: 'reply' },
  { keys: [['n']], label: 'note' },
  { keys: [['e']], label: 'resolve' },
  { keys: [['a']], label: 'assignMe' },
  { keys: [['/'], ['Ctrl', 'K']], label: 'search' },
  { keys: [['?']], label: 'help' },
];

/**
 * Inbox keyboard shortcuts: j/k (or Alt+↓/↑) move between conversations, r replies, n writes a note,
 * e resolves, a takes the conversation, ? shows the list. `/` is the search box's (not handled here).
 */
export function useInboxShortcuts(opts: {
  conversations: Conversation[];
  onResolve: (id: string) => void;
  onAssignMe: (id: string) => void;
}): { helpOpen: boolean; closeHelp: () => void } {
  const navigate = useNavigate();
  const [helpOpen, setHelpOpen] = useState(false);
  const { conversations, onResolve, onAssignMe } = opts;

  // Read at key time: a second key can come before React has rendered the first one's navigation.
  const latest = useRef({ conversations, onResolve, onAssignMe });
  latest.current = { conversations, onResolve, onAssignMe };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || typingInField(e) || e.ctrlKey || e.metaKey) return;
      const { conversations, onResolve, onAssignMe } = latest.current;
      const currentId = /^\/inbox\/([^/?#]+)/.exec(window.location.pathname)?.[1] ?? null;
      const step = (by: number) => {
        const index = conversations.findIndex((c) => c.id === currentId);
        const next = conversations[index === -1 ? 0 : Math.min(conversations.length - 1, Math.max(0, index + by))];
        if (next && next.id !== currentId) void navigate({ pathname: `/inbox/${next.id}`, search: window.location.search });
      };
      const key = e.key;
      let handled = true;
      if (e.altKey) {
        if (key === 'ArrowDown') step(1);
        else if (key === 'ArrowUp') step(-1);
        else handled = false;
      } else if (key === 'j') step(1);
      else if (key === 'k') step(-1);
      else if (key === '?') setHelpOpen(true);
      else if (key === 'r' && currentId) requestCompose('reply');
      else if (key === 'n' && currentId) requestCompose('note');
      else if (key === 'e' && currentId) onResolve(currentId);
      else if (key === 'a' && currentId) onAssignMe(currentId);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  return { helpOpen, closeHelp: () => setHelpOpen(false) };
}

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('teamwork.shortcuts.title')} size="md" data-testid="shortcuts-help">
      <Stack gap="sm">
        <Table verticalSpacing={6}>
          <Table.Tbody>
            {SHORTCUTS.map((s) => (
              <Table.Tr key={s.label}>
                <Table.Td>{t(`teamwork.shortcuts.${s.label}`)}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="wrap" justify="flex-end">
                    {s.keys.map((combo, i) => (
                      <Group key={i} gap={2} wrap="nowrap">
                        {combo.map((k) => (
                          <Kbd key={k}>{k}</Kbd>
                        ))}
                      </Group>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text fz="xs" c="dimmed">
          {t('teamwork.shortcuts.hint')}
        </Text>
      </Stack>
    </Modal>
  );
}
