import { SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { channelTypes, type ChannelType } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { ChannelIcon } from '../../components/channel-icon';
import classes from './channel-type-picker.module.css';

/** The first step of adding a channel: one card per channel type. */
export function ChannelTypePicker({ onPick }: { onPick: (type: ChannelType) => void }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" data-testid="channel-type-picker">
      {channelTypes.map((type) => (
        <UnstyledButton key={type} className={classes.card} onClick={() => onPick(type)} data-testid={`channel-type-${type}`}>
          <ChannelIcon type={type} size={28} />
          <Stack gap={2} miw={0}>
            <Text fw={600} fz="sm">
              {t(`channels.types.${type}.name`)}
            </Text>
            <Text fz="xs" c="dimmed" lh={1.35}>
              {t(`channels.types.${type}.description`)}
            </Text>
          </Stack>
        </UnstyledButton>
      ))}
    </SimpleGrid>
  );
}
