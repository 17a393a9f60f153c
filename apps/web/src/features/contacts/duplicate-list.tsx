import { Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { ContactDuplicate } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { useHasPermission } from '../auth/permissions';
import { contactTitle, HandleList } from './contact-bits';
import { MergeConfirm } from './merge-modal';
import { useDuplicates } from './contacts.api';

/** Likely duplicate pairs (of the account, or of one contact) with a merge button each. */
export function DuplicateList({ contactId }: { contactId: string | null }) {
  const { t } = useTranslation();
  const canMerge = useHasPermission('contact.manage');
  const dups = useDuplicates(contactId);
  const [merging, setMerging] = useState<ContactDuplicate | null>(null);
  if (dups.isPending) return <PageLoader />;
  if (dups.isError) return <LoadFailed title={t('contacts.loadFailed')} error={dups.error} />;
  if (dups.data.length === 0) {
    return (
      <Text c="dimmed" fz="sm" data-testid="no-duplicates">
        {t('contacts.noDuplicates')}
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="duplicates">
      {contactId === null && (
        <Text c="dimmed" fz="sm">
          {t('contacts.duplicatesHelp')}
        </Text>
      )}
      {dups.data.map((d) => (
        <Card key={`${d.a.id}-${d.b.id}`} withBorder padding="sm" data-testid="duplicate-pair">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Stack gap={4}>
              {[d.a, d.b].map((c) => (
                <Group key={c.id} gap={8} wrap="nowrap">
                  <Anchor component={Link} to={`/contacts/${c.id}`} fz="sm" fw={500}>
                    {contactTitle(c, t('contacts.noName'))}
                  </Anchor>
                  <HandleList handles={c.handles} compact />
                  <Text fz="xs" c="dimmed" visibleFrom="sm">
                    {[...c.phones, ...c.emails].join(', ')}
                  </Text>
                </Group>
              ))}
              <Group gap={4}>
                {d.reasons.map((r) => (
                  <Badge key={r} size="xs" variant="light">
                    {t(`contacts.reasons.${r}`)}
                  </Badge>
                ))}
              </Group>
            </Stack>
            {canMerge && (
              <Button size="xs" variant="light" onClick={() => setMerging(d)} data-testid="duplicate-merge">
                {t('contacts.merge')}
              </Button>
            )}
          </Group>
        </Card>
      ))}
      {merging && <MergeConfirm target={merging.a} source={merging.b} onClose={() => setMerging(null)} />}
    </Stack>
  );
}
