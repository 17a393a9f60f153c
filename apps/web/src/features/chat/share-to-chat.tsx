import { Button, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/use-session';
import { notifyError, notifySuccess } from '../../lib/notify';
import { chatApi } from './chat.api';
import { channelTitle } from './chat-title';
import { useChannels } from './use-chat';

/** Shares a conversation or contact into a channel or direct conversation of the team chat, as a card. */
export function ShareToChatModal({
  share,
  opened,
  onClose,
}: {
  share: { type: 'conversation' | 'contact'; id: string };
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const channels = (useChannels().data ?? []).filter((c) => c.joined && !c.archived);
  const [target, setTarget] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    if (!target) return;
    setBusy(true);
    try {
      await chatApi.post(target, { text, share });
      notifySuccess(t('chat.shared'));
      setText('');
      onClose();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('chat.share')}>
      <Stack>
        <Select
          label={t('chat.shareTo')}
          data={channels.map((c) => ({ value: c.id, label: c.kind === 'direct' ? channelTitle(c, me.id) : `#${c.name ?? ''}` }))}
          value={target}
          onChange={setTarget}
          searchable
          data-testid="share-target"
        />
        <Textarea label={t('chat.shareComment')} autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <Button disabled={!target} loading={busy} onClick={() => void send()} data-testid="share-send">
          {t('chat.send')}
        </Button>
      </Stack>
    </Modal>
  );
}
