import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconBulb, IconCheck, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WordingOffer } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../lib/notify';
import { acceptWordingOffer, dismissWordingOffer, getWordingOffers, wordingOffersKey } from './wording-offers.api';

/**
 * "Add this wording to FAQ X": after the operator answered a handed-over question from an FAQ entry, one
 * click teaches the assistant the customer's words, so the next customer who asks that way gets the answer.
 */
export function WordingOffers({ conversationId }: { conversationId: string }) {
  const offers = useQuery({
    queryKey: wordingOffersKey(conversationId),
    queryFn: ({ signal }) => getWordingOffers(conversationId, signal),
  });
  const items = offers.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Stack gap={6} mb={8}>
      {items.slice(0, 2).map((o) => (
        <WordingOfferCard key={o.id} conversationId={conversationId} offer={o} />
      ))}
    </Stack>
  );
}

function WordingOfferCard({ conversationId, offer }: { conversationId: string; offer: WordingOffer }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const done = () => void qc.invalidateQueries({ queryKey: wordingOffersKey(conversationId) });
  const accept = useMutation({
    mutationFn: () => acceptWordingOffer(conversationId, offer.id),
    onSuccess: () => {
      notifySuccess(t('aiLoop.offer.added', { title: offer.articleTitle }));
      done();
    },
    onError: done,
  });
  const dismiss = useMutation({ mutationFn: () => dismissWordingOffer(conversationId, offer.id), onSettled: done });
  const busy = accept.isPending || dismiss.isPending;
  return (
    <Paper
      withBorder
      p="xs"
      style={{
        borderColor: 'var(--mantine-color-teal-4)',
        background: 'light-dark(var(--mantine-color-teal-0), rgba(18, 184, 134, 0.08))',
      }}
      data-testid="wording-offer"
      data-offer-id={offer.id}
    >
      <Stack gap={6}>
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconBulb size={16} color="var(--mantine-color-teal-7)" style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
          <Text fz="sm" style={{ minWidth: 0 }}>
            {t('aiLoop.offer.text')}{' '}
            <Text span fz="sm" fw={600}>
              «{offer.question}»
            </Text>{' '}
            {t('aiLoop.offer.toFaq')}{' '}
            <Text span fz="sm" fw={600} c="teal.8">
              «{offer.articleTitle}»
            </Text>
            ?
          </Text>
        </Group>
        <Group gap={4} justify="flex-end">
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            leftSection={<IconX size={12} />}
            disabled={busy}
            loading={dismiss.isPending}
            onClick={() => dismiss.mutate()}
            data-testid="wording-offer-dismiss"
          >
            {t('aiLoop.offer.dismiss')}
          </Button>
          <Button
            size="compact-xs"
            color="teal"
            leftSection={<IconCheck size={12} />}
            disabled={busy}
            loading={accept.isPending}
            onClick={() => accept.mutate()}
            data-testid="wording-offer-accept"
          >
            {t('aiLoop.offer.add')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
