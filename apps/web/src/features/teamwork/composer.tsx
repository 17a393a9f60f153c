import {
  ActionIcon,
  Alert,
  Badge,
  CloseButton,
  Group,
  Paper,
  Popover,
  SimpleGrid,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconMoodSmile, IconPaperclip, IconPencil, IconSlash } from '@tabler/icons-react';
import type { Attachment, CannedResponse, Conversation, UserSummary } from '@switchboard/shared';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/use-session';
import { contactName } from '../inbox/contact-name';
import { useTeammates } from '../conversation/use-messages';
import { conversationLanguage, renderCanned, searchCanned } from './canned-render';
import { notifyError } from '../../lib/notify';
import { sendTyping, uploadNoteFile } from './teamwork.api';
import { useTypers } from './typing.store';
import { useCanned } from './use-teamwork';

/** "Anna is typing a reply": colleagues writing in this conversation right now. */
export function TypingBanner({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const teammates = useTeammates();
  const typers = useTypers(conversationId, me.id);
  if (typers.length === 0) return null;
  return (
    <Alert color="orange" variant="light" py={4} px="sm" mb={6} icon={<IconPencil size={14} />} data-testid="collision-warning">
      <Text fz="xs">
        {typers
          .map((x) =>
            t(x.kind === 'note' ? 'teamwork.composer.typingNote' : 'teamwork.composer.typing', {
              name: teammates.get(x.userId)?.name ?? '…',
            }),
          )
          .join(' · ')}
      </Text>
    </Alert>
  );
}

/** Tells colleagues I am typing here (at most every 3 s while the text changes). */
export function useTypingSignal(conversationId: string, text: string, kind: 'reply' | 'note') {
  const last = useRef(0);
  useEffect(() => {
    if (!text.trim() || Date.now() - last.current < 3000) return;
    last.current = Date.now();
    void sendTyping(conversationId, kind).catch(() => undefined);
  }, [conversationId, text, kind]);
}

/** Inserts text at the caret of a textarea (keeps what is around it), returning the new value. */
export function insertAtCaret(input: HTMLTextAreaElement | null, value: string, insert: string): { text: string; caret: number } {
  const start = input?.selectionStart ?? value.length;
  const end = input?.selectionEnd ?? value.length;
  return { text: value.slice(0, start) + insert + value.slice(end), caret: start + insert.length };
}

const EMOJI = [
  '🙂',
  '😊',
  '😀',
  '😉',
  '🙏',
  '👍',
  '👌',
  '👋',
  '🤝',
  '🎉',
  '❤️',
  '✅',
  '❗',
  '❓',
  '⏳',
  '📦',
  '🚚',
  '💳',
  '📞',
  '✉️',
  '😔',
  '😅',
  '🤔',
  '🔥',
];

/** A small emoji palette: the few a support reply needs, no heavy dependency. */
export function EmojiButton({ onPick }: { onPick: (emoji: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Popover opened={open} onChange={setOpen} position="top-start" withinPortal shadow="md">
      <Popover.Target>
        <Tooltip label={t('teamwork.composer.emoji')}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('teamwork.composer.emoji')}
            onClick={() => setOpen((o) => !o)}
            visibleFrom="sm"
            data-testid="emoji-button"
          >
            <IconMoodSmile size={18} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p={6}>
        <SimpleGrid cols={8} spacing={2} data-testid="emoji-picker">
          {EMOJI.map((e) => (
            <UnstyledButton
              key={e}
              fz={20}
              p={2}
              style={{ borderRadius: 4, textAlign: 'center' }}
              aria-label={e}
              onClick={() => {
                onPick(e);
                setOpen(false);
              }}
            >
              {e}
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </Popover.Dropdown>
    </Popover>
  );
}

export function CannedButton({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={`${t('teamwork.composer.canned')} (/)`}>
      <ActionIcon
        variant="subtle"
        color="gray"
        aria-label={t('teamwork.composer.canned')}
        onClick={onOpen}
        visibleFrom="sm"
        data-testid="canned-button"
      >
        <IconSlash size={18} />
      </ActionIcon>
    </Tooltip>
  );
}

type Suggest = { kind: 'canned'; query: string } | { kind: 'mention'; query: string; start: number } | null;

/** What the text at the caret asks for: `/shortcut` at the start opens canned responses, `@name` in a note mentions. */
function suggestAt(text: string, caret: number, isPrivate: boolean, canned: boolean): Suggest {
  const canMatch = canned ? /^\/([\p{L}\p{N}_-]*)$/u.exec(text.slice(0, caret)) : null;
  if (canMatch && caret === text.length) return { kind: 'canned', query: canMatch[1] ?? '' };
  if (!isPrivate) return null;
  const m = /(^|\s)@([\p{L}\p{N}_.-]*)$/u.exec(text.slice(0, caret));
  return m ? { kind: 'mention', query: m[2] ?? '', start: caret - (m[2]?.length ?? 0) - 1 } : null;
}

interface ComposerSuggestOptions {
  conversation: Conversation | undefined;
  text: string;
  setText: (text: string) => void;
  input: RefObject<HTMLTextAreaElement | null>;
  isPrivate: boolean;
  canReply: boolean;
}

/**
 * The `/` canned-response picker and the `@` mention list of the reply box: which one is open, its
 * items, the keys that move in it, and the mentioned people (for the note's `mentions`).
 */
export function useComposerSuggest({ conversation, text, setText, input, isPrivate, canReply }: ComposerSuggestOptions) {
  const me = useMe();
  const teammates = useTeammates();
  const canned = useCanned(canReply);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [mentioned, setMentioned] = useState<Map<string, string>>(new Map());
  const suggest = dismissed === text ? null : suggestAt(text, caret, isPrivate, canReply);
  const language = conversationLanguage(conversation?.lastMessagePreview ?? conversation?.contact.name);

  const items = useMemo((): ({ kind: 'canned'; item: CannedResponse } | { kind: 'mention'; user: UserSummary })[] => {
    if (!suggest) return [];
    if (suggest.kind === 'canned')
      return searchCanned(canned.data ?? [], suggest.query, language).map((item) => ({ kind: 'canned', item }));
    const q = suggest.query.toLowerCase();
    return [...teammates.values()]
      .filter((u) => u.id !== me.id && u.name.toLowerCase().includes(q))
      .slice(0, 6)
      .map((user) => ({ kind: 'mention', user }));
  }, [suggest?.kind, suggest?.query, canned.data, language, teammates, me.id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => setActive(0), [suggest?.kind, suggest?.query]);

  const place = (value: string, at: number) => {
    setText(value);
    setCaret(at);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(at, at);
    });
  };

  const choose = (index: number) => {
    const choice = items[index];
    if (!choice || !suggest) return;
    if (choice.kind === 'canned') {
      const rendered = renderCanned(choice.item.text, {
        contactName: conversation ? contactName(conversation.contact) : null,
        agentName: me.name,
        conversationNumber: conversation?.number ?? null,
      });
      place(rendered, rendered.length);
    } else if (suggest.kind === 'mention') {
      const insert = `@${choice.user.name} `;
      const value = text.slice(0, suggest.start) + insert + text.slice(caret);
      setMentioned((m) => new Map(m).set(choice.user.id, choice.user.name));
      place(value, suggest.start + insert.length);
    }
  };

  /** True when the key was the picker's (the reply box then does nothing with it). */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!suggest || items.length === 0) {
      if (suggest && e.key === 'Escape') setDismissed(text);
      return false;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      e.preventDefault();
      choose(active);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setDismissed(text);
      return true;
    }
    return false;
  };

  /** The people still @mentioned in the text about to be sent. */
  const mentionsIn = (value: string) => [...mentioned].filter(([, name]) => value.includes(`@${name}`)).map(([id]) => id);

  const list =
    suggest && (suggest.kind === 'mention' ? items.length > 0 : true) ? (
      <SuggestList items={items} active={active} onChoose={choose} kind={suggest.kind} />
    ) : null;

  return {
    list,
    onKeyDown,
    trackCaret: (el: HTMLTextAreaElement) => setCaret(el.selectionStart ?? el.value.length),
    openCanned: () => place('/', 1),
    mentionsIn,
    resetMentions: () => setMentioned(new Map()),
  };
}

function SuggestList({
  items,
  active,
  onChoose,
  kind,
}: {
  items: ({ kind: 'canned'; item: CannedResponse } | { kind: 'mention'; user: UserSummary })[];
  active: number;
  onChoose: (index: number) => void;
  kind: 'canned' | 'mention';
}) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      shadow="sm"
      p={4}
      mb={6}
      mah={260}
      style={{ overflowY: 'auto' }}
      data-testid={kind === 'canned' ? 'canned-picker' : 'mention-list'}
    >
      {items.length === 0 && (
        <Text fz="sm" c="dimmed" p={6}>
          {t('teamwork.canned.pickerEmpty')}
        </Text>
      )}
      <Stack gap={2}>
        {items.map((x, i) => (
          <UnstyledButton
            key={x.kind === 'canned' ? x.item.id : x.user.id}
            px={8}
            py={4}
            style={{ borderRadius: 4, background: i === active ? 'var(--mantine-primary-color-light)' : undefined }}
            onMouseDown={(e) => {
              e.preventDefault();
              onChoose(i);
            }}
            data-testid={x.kind === 'canned' ? 'canned-option' : 'mention-option'}
            data-active={i === active ? '' : undefined}
          >
            {x.kind === 'canned' ? (
              <Group gap={6} wrap="nowrap">
                <Text fz="sm" fw={600} style={{ flexShrink: 0 }}>
                  /{x.item.shortcut}
                </Text>
                {x.item.language && (
                  <Badge size="xs" variant="outline" color="gray">
                    {x.item.language}
                  </Badge>
                )}
                <Text fz="sm" c="dimmed" truncate>
                  {x.item.text}
                </Text>
              </Group>
            ) : (
              <Text fz="sm">@{x.user.name}</Text>
            )}
          </UnstyledButton>
        ))}
      </Stack>
      {kind === 'canned' && items.length > 0 && (
        <Text fz={11} c="dimmed" px={8} pt={4}>
          {t('teamwork.canned.pickerHint')}
        </Text>
      )}
    </Paper>
  );
}

/** Attach a file to a private note (replies to customers cannot carry files yet: the button says so). */
export function AttachButton({
  conversationId,
  enabled,
  onUploaded,
}: {
  conversationId: string;
  enabled: boolean;
  onUploaded: (a: Attachment) => void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      onUploaded(await uploadNoteFile(conversationId, form));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <>
      <Tooltip label={enabled ? t('teamwork.composer.attach') : t('teamwork.composer.attachUnsupported')} multiline maw={280}>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={t('teamwork.composer.attach')}
          loading={busy}
          data-disabled={enabled ? undefined : true}
          onClick={() => enabled && input.current?.click()}
          data-testid="attach-button"
        >
          <IconPaperclip size={18} />
        </ActionIcon>
      </Tooltip>
      <input ref={input} type="file" hidden onChange={(e) => void pick(e.currentTarget.files?.[0])} data-testid="attach-input" />
    </>
  );
}

/** Files waiting to go with the note. */
export function PendingFiles({ files, onRemove }: { files: Attachment[]; onRemove: (fileId: string) => void }) {
  if (files.length === 0) return null;
  return (
    <Group gap={4} mb={6} data-testid="pending-files">
      {files.map((f) => (
        <Badge
          key={f.fileId}
          variant="light"
          color="gray"
          tt="none"
          rightSection={<CloseButton size="xs" onClick={() => onRemove(f.fileId)} aria-label="×" />}
        >
          {f.fileName ?? f.kind}
        </Badge>
      ))}
    </Group>
  );
}
