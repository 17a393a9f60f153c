import { ActionIcon, Badge, FileButton, Group, Stack, Textarea } from '@mantine/core';
import { IconPaperclip, IconSend } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../../lib/notify';
import { chatApi } from './chat.api';
import { useChatPeople } from './use-chat';

const TYPING_EVERY_MS = 3_000;

/** Writing a message: Enter sends, Shift+Enter breaks the line; @Name mentions a colleague; files attach. */
export function ChatComposer({ channelId, threadRootId, placeholder }: { channelId: string; threadRootId?: string; placeholder: string }) {
  const { t } = useTranslation();
  const people = useChatPeople().data ?? [];
  const [text, setText] = useState('');
  const [files, setFiles] = useState<{ id: string; fileName: string }[]>([]);
  const [sending, setSending] = useState(false);
  const lastTyping = useRef(0);

  const send = async () => {
    if (sending || (!text.trim() && files.length === 0)) return;
    setSending(true);
    try {
      const mentions = people.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id);
      await chatApi.post(channelId, { text, mentions, fileIds: files.map((f) => f.id), ...(threadRootId ? { threadRootId } : {}) });
      setText('');
      setFiles([]);
    } catch (err) {
      notifyError(err);
    } finally {
      setSending(false);
    }
  };
  const attach = async (file: File | null) => {
    if (!file) return;
    try {
      const up = await chatApi.upload(file);
      setFiles((f) => [...f, { id: up.id, fileName: up.fileName }]);
    } catch (err) {
      notifyError(err);
    }
  };
  const typed = (value: string) => {
    setText(value);
    if (Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      void chatApi.typing(channelId, threadRootId).catch(() => undefined);
    }
  };
  // "@Na" at the end suggests the people whose name starts so.
  const partial = /@([\p{L}\p{N}_-]*)$/u.exec(text)?.[1];
  const suggestions = partial !== undefined ? people.filter((p) => p.name.toLowerCase().startsWith(partial.toLowerCase())).slice(0, 5) : [];

  return (
    <Stack gap={4} p="xs" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
      {suggestions.length > 0 && (
        <Group gap={4}>
          {suggestions.map((p) => (
            <Badge
              key={p.id}
              variant="light"
              style={{ cursor: 'pointer', textTransform: 'none' }}
              onClick={() => setText(text.replace(/@[\p{L}\p{N}_-]*$/u, `@${p.name} `))}
              data-testid="mention-suggestion"
            >
              @{p.name}
            </Badge>
          ))}
        </Group>
      )}
      {files.length > 0 && (
        <Group gap={4}>
          {files.map((f) => (
            <Badge
              key={f.id}
              variant="outline"
              style={{ textTransform: 'none' }}
              onClick={() => setFiles(files.filter((x) => x.id !== f.id))}
            >
              {f.fileName} ✕
            </Badge>
          ))}
        </Group>
      )}
      <Group gap={4} wrap="nowrap" align="flex-end">
        <FileButton onChange={(f) => void attach(f)}>
          {(props) => (
            <ActionIcon {...props} variant="subtle" color="gray" size="lg" aria-label={t('chat.attach')}>
              <IconPaperclip size={18} />
            </ActionIcon>
          )}
        </FileButton>
        <Textarea
          style={{ flex: 1 }}
          autosize
          minRows={1}
          maxRows={6}
          placeholder={placeholder}
          value={text}
          onChange={(e) => typed(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          data-testid="chat-input"
          aria-label={placeholder}
        />
        <ActionIcon size="lg" onClick={() => void send()} loading={sending} aria-label={t('chat.send')} data-testid="chat-send">
          <IconSend size={18} />
        </ActionIcon>
      </Group>
    </Stack>
  );
}
