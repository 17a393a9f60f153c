import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { PlatformAccount } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { LimitFields, toLimits, toValues, type LimitValues } from './limit-fields';
import { useUpdateLimits } from './use-platform';

export function LimitsModal({ account, onClose }: { account: PlatformAccount | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={account !== null} onClose={onClose} title={t('platform.limitsOf', { name: account?.name ?? '' })} centered size="lg">
      {account && <LimitsForm key={account.id} account={account} onDone={onClose} />}
    </Modal>
  );
}

function LimitsForm({ account, onDone }: { account: PlatformAccount; onDone: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateLimits();
  const [values, setValues] = useState<LimitValues>(toValues(account.limits));
  return (
    <Stack>
      {update.isError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {errorMessage(update.error)}
        </Alert>
      )}
      <Text c="dimmed" fz="sm">
        {t('platform.limitsHint')}
      </Text>
      <LimitFields values={values} onChange={setValues} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          loading={update.isPending}
          onClick={() => update.mutate({ id: account.id, limits: toLimits(values) }, { onSuccess: onDone })}
          data-testid="limits-save"
        >
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
