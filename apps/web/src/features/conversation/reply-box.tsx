import { Button, Group, Text, Textarea } from '@mantine/core';
import { IconLock, IconSend } from '@tabler/icons-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSendMessage, type SendInput } from './use-messages';
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
  const [isPrivate, setPrivate] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  // A failed send gives the text back (to the draft too, in case the operator has moved on), so nothing typed is lost.
  const restore = (failed: SendInput) => {
    if (!drafts.get(conversationId)?.trim()) drafts.set(conversationId, failed.text);
    setText((current) => (current.trim() ? current : failed.text));
    setPrivate(failed.private);
  };
  const send = useSendMessage(conversationId, restore);
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_LENGTH;
  const flag = isPrivate ? '' : undefined;

  const submit = () => {
    if (!trimmed || tooLong) return;
    send.mutate({ text: trimmed, private: isPrivate });
    setText('');
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a new line; never send in the middle of an IME composition.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <div className={classes.box} data-private={flag}>
      <Textarea
        ref={input}
        classNames={{ input: isPrivate ? classes.noteInput : undefined }}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        placeholder={isPrivate ? t('reply.notePlaceholder') : t('reply.placeholder')}
        aria-label={isPrivate ? t('reply.noteLabel') : t('reply.label')}
        autosize
        minRows={2}
        maxRows={10}
        error={tooLong ? t('reply.tooLong', { max: MAX_LENGTH }) : undefined}
        data-testid="reply-input"
      />
      <Group justify="space-between" mt={8} wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant={isPrivate ? 'filled' : 'default'}
            color={isPrivate ? 'yellow' : 'gray'}
            autoContrast
            leftSection={<IconLock size={14} />}
            aria-pressed={isPrivate}
            onClick={() => setPrivate((v) => !v)}
            data-testid="private-toggle"
          >
            {t('reply.privateNote')}
          </Button>
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
            color={isPrivate ? 'yellow' : 'blue'}
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
