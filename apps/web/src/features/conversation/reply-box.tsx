import { ActionIcon, Button, Group, Text, Textarea, Tooltip } from '@mantine/core';
import { IconLock, IconSend, IconSparkles, IconX } from '@tabler/icons-react';
import type { Attachment, Suggestion } from '@switchboard/shared';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasPermission } from '../auth/permissions';
import { SuggestionCard, SuggestionDraftCard } from './suggestion-card';
import { WordingOffers } from './wording-offers';
import { useSendMessage, type SendInput } from './use-messages';
import { useSendEditedSuggestion, useSuggestion, useSuggestionDraft } from './use-suggestion';
import { useConversation } from '../inbox/use-conversations';
import {
  AttachButton,
  CannedButton,
  EmojiButton,
  insertAtCaret,
  PendingFiles,
  TypingBanner,
  useComposerSuggest,
  useTypingSignal,
} from '../teamwork/composer';
import { COMPOSE_EVENT, type ComposeMode } from '../teamwork/shortcuts';
import classes from './reply-box.module.css';

/** Telegram's limit, which the server enforces for every channel. */
const MAX_LENGTH = 4096;

/** Unsent text per conversation, so switching conversations does not lose a half-written reply. */
const drafts = new Map<string, string>();

export function ReplyBox({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  useEffect(() => {
    if (text) drafts.set(conversationId, text);
    else drafts.delete(conversationId);
  }, [conversationId, text]);
  const canReply = useHasPermission('conversation.reply');
  const canNote = useHasPermission('conversation.note');
  const [privateChosen, setPrivate] = useState(false);
  // Someone who may not answer customers (a collaborator) only writes internal notes.
  const isPrivate = canReply ? privateChosen && canNote : true;
  /** The suggestion whose text is being edited here: sending reports it as an edited suggestion. */
  const [editing, setEditing] = useState<Suggestion | null>(null);
  const suggestion = useSuggestion(conversationId, canReply).data ?? null;
  const draft = useSuggestionDraft(conversationId);
  const input = useRef<HTMLTextAreaElement>(null);
  // A failed send gives the text back (to the draft too, in case the operator has moved on), so nothing typed is lost.
  const restore = (failed: SendInput) => {
    if (!drafts.get(conversationId)?.trim()) drafts.set(conversationId, failed.text);
    setText((current) => (current.trim() ? current : failed.text));
    setPrivate(failed.private);
  };
  const send = useSendMessage(conversationId, restore);
  const conversation = useConversation(conversationId).data;
  const [files, setFiles] = useState<Attachment[]>([]);
  const composer = useComposerSuggest({ conversation, text, setText, input, isPrivate, canReply });
  useTypingSignal(conversationId, text, isPrivate ? 'note' : 'reply');
  // Keyboard shortcuts r (reply) and n (note) focus the box in that mode.
  useEffect(() => {
    const onCompose = (e: Event) => {
      const mode = (e as CustomEvent<ComposeMode>).detail;
      if (canReply) setPrivate(mode === 'note');
      input.current?.focus();
    };
    window.addEventListener(COMPOSE_EVENT, onCompose);
    return () => window.removeEventListener(COMPOSE_EVENT, onCompose);
  }, [canReply]);
  const sendEdited = useSendEditedSuggestion(conversationId, (failed) => restore({ text: failed, private: false }));
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_LENGTH;
  const flag = isPrivate ? '' : undefined;
  const linked = editing && !isPrivate ? editing : null;

  const submit = () => {
    if (!trimmed || tooLong) return;
    if (linked) sendEdited.mutate({ suggestionId: linked.id, text: trimmed });
    else
      send.mutate({
        text: trimmed,
        private: isPrivate,
        ...(isPrivate ? { mentions: composer.mentionsIn(trimmed), attachments: files } : {}),
      });
    composer.resetMentions();
    setFiles([]);
    setText('');
    setEditing(null);
    input.current?.focus();
  };

  const edit = (s: Suggestion) => {
    setEditing(s);
    setPrivate(false);
    setText(s.text);
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (composer.onKeyDown(e)) return;
    // Enter sends, Shift+Enter is a new line; never send in the middle of an IME composition.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  if (!canReply && !canNote) return null;

  return (
    <div className={classes.box} data-private={flag}>
      {canReply && <WordingOffers conversationId={conversationId} />}
      {draft ? (
        <SuggestionDraftCard text={draft.text} />
      ) : (
        suggestion &&
        suggestion.id !== linked?.id && <SuggestionCard conversationId={conversationId} suggestion={suggestion} onEdit={edit} />
      )}
      {linked && (
        <Group gap={6} mb={6} wrap="nowrap" data-testid="editing-suggestion">
          <IconSparkles size={14} color="var(--mantine-color-violet-6)" aria-hidden />
          <Text fz="xs" c="violet" fw={600} style={{ flex: 1 }}>
            {t('suggestion.editing')}
          </Text>
          <Tooltip label={t('suggestion.unlink')}>
            <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('suggestion.unlink')} onClick={() => setEditing(null)}>
              <IconX size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      )}
      <TypingBanner conversationId={conversationId} />
      {composer.list}
      {isPrivate && <PendingFiles files={files} onRemove={(id) => setFiles((f) => f.filter((x) => x.fileId !== id))} />}
      <Textarea
        ref={input}
        classNames={{ input: isPrivate ? classes.noteInput : undefined }}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          composer.trackCaret(e.currentTarget);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => composer.trackCaret(e.currentTarget)}
        onClick={(e) => composer.trackCaret(e.currentTarget)}
        placeholder={isPrivate ? t('reply.notePlaceholder') : t('reply.placeholder')}
        aria-label={isPrivate ? t('reply.noteLabel') : t('reply.label')}
        autosize
        minRows={2}
        maxRows={10}
        error={tooLong ? t('reply.tooLong', { max: MAX_LENGTH }) : undefined}
        data-testid="reply-input"
      />
      <Group justify="space-between" mt={8} gap={6} style={{ rowGap: 6 }}>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant={isPrivate ? 'filled' : 'default'}
            color={isPrivate ? 'yellow' : 'gray'}
            autoContrast
            leftSection={<IconLock size={14} />}
            aria-pressed={isPrivate}
            disabled={!canReply || !canNote}
            onClick={() => setPrivate((v) => !v)}
            data-testid="private-toggle"
          >
            {t('reply.privateNote')}
          </Button>
          {canReply && !isPrivate && <CannedButton onOpen={composer.openCanned} />}
          <AttachButton conversationId={conversationId} enabled={isPrivate} onUploaded={(a) => setFiles((f) => [...f, a])} />
          <EmojiButton
            onPick={(emoji) => {
              const next = insertAtCaret(input.current, text, emoji);
              setText(next.text);
              requestAnimationFrame(() => input.current?.setSelectionRange(next.caret, next.caret));
            }}
          />
          <Text fz="xs" c="dimmed" visibleFrom="md">
            {t('reply.hint')}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          {trimmed.length > MAX_LENGTH - 500 && (
            <Text fz="xs" c={tooLong ? 'red' : 'dimmed'}>
              {trimmed.length}/{MAX_LENGTH}
            </Text>
          )}
          <Button
            size="xs"
            color={isPrivate ? 'yellow' : linked ? 'violet' : 'blue'}
            autoContrast
            rightSection={<IconSend size={14} />}
            onClick={submit}
            disabled={!trimmed || tooLong}
            data-testid="reply-send"
          >
            {isPrivate ? t('reply.addNote') : t('reply.send')}
          </Button>
        </Group>
      </Group>
    </div>
  );
}
