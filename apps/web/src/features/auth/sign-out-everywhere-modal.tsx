import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLogout } from './use-session';

/** "Sign out everywhere", offering to stop my API tokens too. */
export function SignOutEverywhereModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const everywhere = useLogout(true);
  const [includeTokens, setIncludeTokens] = useState(false);
  return (
    <Modal opened={opened} onClose={onClose} title={t('user.logoutAllTitle')} centered>
      <Stack>
        <Text fz="sm">{t('people.sessions.everywhereText')}</Text>
        <Checkbox
          label={t('people.sessions.includeTokens')}
          checked={includeTokens}
          onChange={(e) => setIncludeTokens(e.currentTarget.checked)}
          data-testid="logout-all-tokens"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={everywhere.isPending} onClick={() => everywhere.mutate({ includeTokens })} data-testid="confirm">
            {t('user.logoutAll')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
