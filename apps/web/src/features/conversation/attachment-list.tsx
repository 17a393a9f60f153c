import { Anchor, Group, Stack, Text } from '@mantine/core';
import { IconFile, IconMicrophone, IconMovie, IconMusic, IconPhoto, IconSticker } from '@tabler/icons-react';
import type { Attachment } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format';

const ICONS: Record<Attachment['kind'], typeof IconFile> = {
  photo: IconPhoto,
  document: IconFile,
  voice: IconMicrophone,
  video: IconMovie,
  audio: IconMusic,
  sticker: IconSticker,
};

/** Attachments by what they are; the file itself is fetched from the channel when opened. */
export function AttachmentList({
  attachments,
  conversationId,
  messageId,
}: {
  attachments: Attachment[];
  conversationId: string;
  messageId: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} mt={4}>
      {attachments.map((a, i) => {
        const KindIcon = ICONS[a.kind];
        return (
          <Group key={`${a.fileId}-${i}`} gap={6} wrap="nowrap" data-testid="attachment" data-kind={a.kind}>
            <KindIcon size={16} aria-hidden style={{ flexShrink: 0 }} />
            <Anchor
              fz="xs"
              fw={500}
              style={{ whiteSpace: 'nowrap' }}
              href={`/api/conversations/${conversationId}/messages/${messageId}/attachments/${i}`}
              target="_blank"
              rel="noopener"
              title={t('conversation.attachment.open')}
              data-testid="attachment-link"
            >
              {t(`conversation.attachment.${a.kind}`)}
            </Anchor>
            {a.fileName && (
              <Text fz="xs" truncate>
                {a.fileName}
              </Text>
            )}
            {(a.size !== undefined || a.mimeType) && (
              <Text fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {[a.mimeType, a.size !== undefined ? formatBytes(a.size) : null].filter(Boolean).join(' · ')}
              </Text>
            )}
          </Group>
        );
      })}
    </Stack>
  );
}
