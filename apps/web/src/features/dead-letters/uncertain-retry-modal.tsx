import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  /** How many of the replies to retry may already have reached the customer (null: closed). */
  uncertain: number | null;
  /** How many others would be retried with them. */
  others: number;
  loading: boolean;
  onRetryOthers: () => void;
  onRetryAll: () => void;
  onCancel: () => void;
}

/**
 * Retrying a reply whose delivery is uncertain can give the customer the same message twice: the operator
 * checks the conversation first and says so explicitly, or retries only the others.
 */
export function UncertainRetryModal({ uncertain, others, loading, onRetryOthers, onRetryAll, onCancel }: Props) {
  const { t } = useTranslation();
  const count = uncertain ?? 0;
  return (
    <Modal opened={uncertain !== null} onClose={onCancel} title={t('deadLetters.confirmUncertainTitle', { count })} centered>
      <Stack>
        <Text fz="sm">{t('deadLetters.confirmUncertainText', { count })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          {others > 0 && (
            <Button variant="default" disabled={loading} onClick={onRetryOthers} data-testid="retry-others">
              {t('deadLetters.retryOthers', { count: others })}
            </Button>
          )}
          <Button color="orange" loading={loading} onClick={onRetryAll} data-testid="confirm-uncertain">
            {t('deadLetters.retryUncertain')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
