import { ActionIcon, Menu } from '@mantine/core';
import { IconDots, IconMessages, IconUser, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { ShareToChatModal } from '../chat/share-to-chat';
import type { Conversation } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { useHasPermission } from '../auth/permissions';
import { useMe } from '../auth/use-session';
import { useTeammates } from './use-messages';

interface Props {
  conversation: Conversation;
  onUpdate: (patch: { assigneeId?: string | null }) => void;
}

/** Less frequent actions: assign to a teammate, unassign. */
export function ConversationMenu({ conversation: c, onUpdate }: Props) {
  const { t } = useTranslation();
  const me = useMe();
  const teammates = [...useTeammates().values()].filter((u) => u.id !== me.id && u.id !== c.assigneeId);
  const showTeammates = useHasPermission('conversation.assign_others') && teammates.length > 0;
  const canChat = useHasPermission('chat.use');
  const [sharing, setSharing] = useState(false);

  return (
    <>
      <Menu position="bottom-end" width={220} withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size={30} aria-label={t('conversation.moreActions')} data-testid="conversation-menu">
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {showTeammates && <Menu.Label>{t('conversation.assignTo')}</Menu.Label>}
          {showTeammates &&
            teammates.map((u) => (
              <Menu.Item key={u.id} leftSection={<IconUser size={16} />} onClick={() => onUpdate({ assigneeId: u.id })}>
                {u.name}
              </Menu.Item>
            ))}
          {showTeammates && <Menu.Divider />}
          <Menu.Item
            leftSection={<IconUserOff size={16} />}
            disabled={!c.assigneeId}
            onClick={() => onUpdate({ assigneeId: null })}
            data-testid="unassign"
          >
            {t('conversation.unassign')}
          </Menu.Item>
          {canChat && (
            <Menu.Item leftSection={<IconMessages size={16} />} onClick={() => setSharing(true)} data-testid="share-to-chat">
              {t('chat.share')}
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      {canChat && <ShareToChatModal share={{ type: 'conversation', id: c.id }} opened={sharing} onClose={() => setSharing(false)} />}
    </>
  );
}
