import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  FileButton,
  Group,
  List,
  Select,
  SimpleGrid,
  Slider,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconDatabaseImport, IconFileSpreadsheet, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { EvaluationResult } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error';
import { currentLanguage } from '../../i18n';
import { formatPercent } from '../../lib/format';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import { listFaqEntries } from './evaluation.api';
import { EvaluationCurve } from './evaluation-curve';
import { StatCard } from './stat-card';
import { useAiSettings, useUpdateAiSettings } from './use-ai';
import {
  useAddEvaluationCase,
  useCollectEvaluationCases,
  useDeleteEvaluationCase,
  useEvaluationCases,
  useImportEvaluationCases,
  useRunEvaluation,
} from './use-evaluation';

const PERSON = '__person__';
/** Long labels wrap on a phone instead of being cut. */
const WRAP = { label: { whiteSpace: 'normal' as const }, root: { height: 'auto', minHeight: 36 } };
const OUTCOME_COLORS = { right: 'teal', wrong: 'red', handover: 'orange' } as const;
type Case = EvaluationResult['cases'][number];

/** The shares at any threshold, from the per-question scores (the same rule as the server's). */
export function pointAt(cases: Case[], threshold: number) {
  const answered = (c: Case) => !c.forcedHandover && c.predictedArticleId !== null && c.confidence >= threshold;
  const outcome = (c: Case) =>
    answered(c) ? (c.predictedArticleId === c.expectedArticleId ? 'right' : 'wrong') : c.expectedArticleId === null ? 'right' : 'handover';
  const n = cases.length || 1;
  const count = (o: string) => cases.filter((c) => outcome(c) === o).length / n;
  return { right: count('right'), wrong: count('wrong'), handover: count('handover'), coverage: cases.filter(answered).length / n };
}

/**
 * The account's own test of the bot: questions with the answer they should get, scored right / wrong /
 * hand-over at the current threshold and along the curve, and the threshold picked from it.
 */
export function EvaluationPanel() {
  const { t } = useTranslation();
  const canManage = useHasPermission('ai.manage');
  const cases = useEvaluationCases();
  const run = useRunEvaluation();
  const result = run.data;
  const total = cases.data?.total ?? 0;

  return (
    <Stack gap="md" data-testid="evaluation-panel">
      <Card withBorder padding="lg">
        <Group justify="space-between" align="flex-start" gap="md">
          <div style={{ flex: 1, minWidth: 240 }}>
            <Title order={2} fz="lg">
              {t('aiLoop.evaluation.title')}
            </Title>
            <Text fz="sm" c="dimmed" maw={620}>
              {t('aiLoop.evaluation.description')}
            </Text>
          </div>
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            onClick={() => run.mutate()}
            loading={run.isPending}
            disabled={total === 0}
            data-testid="evaluation-run"
          >
            {t('aiLoop.evaluation.run', { count: total })}
          </Button>
        </Group>
        {canManage && <SetActions />}
        {run.isError && (
          <Alert color="red" mt="md" role="alert">
            {errorMessage(run.error)}
          </Alert>
        )}
      </Card>
      {result && <Score result={result} canManage={canManage} onChanged={() => run.mutate()} />}
      <CasesTable canManage={canManage} result={result ?? null} />
    </Stack>
  );
}

/** Upload a file, collect from conversations, or type one question in. */
function SetActions() {
  const { t } = useTranslation();
  const importer = useImportEvaluationCases();
  const collect = useCollectEvaluationCases();
  const rowErrors =
    importer.error instanceof ApiError && Array.isArray(importer.error.details)
      ? (importer.error.details as { row: number; message: string }[])
      : [];
  return (
    <Stack gap="sm" mt="md">
      <Group gap="xs">
        <FileButton
          accept=".csv,.xlsx"
          onChange={(file) =>
            file &&
            importer.mutate(file, {
              onSuccess: (r) => notifySuccess(t('aiLoop.evaluation.imported', { created: r.created, skipped: r.skipped })),
            })
          }
        >
          {(props) => (
            <Button
              {...props}
              variant="default"
              styles={WRAP}
              leftSection={<IconFileSpreadsheet size={16} />}
              loading={importer.isPending}
              data-testid="evaluation-upload"
            >
              {t('aiLoop.evaluation.upload')}
            </Button>
          )}
        </FileButton>
        <Button
          variant="default"
          styles={WRAP}
          leftSection={<IconDatabaseImport size={16} />}
          loading={collect.isPending}
          onClick={() =>
            collect.mutate(undefined, {
              onSuccess: (r) => notifySuccess(t('aiLoop.evaluation.collected', { created: r.created, skipped: r.skipped })),
            })
          }
          data-testid="evaluation-collect"
        >
          {t('aiLoop.evaluation.collect')}
        </Button>
      </Group>
      <Text fz="xs" c="dimmed">
        {t('aiLoop.evaluation.fileHint')}
      </Text>
      {(importer.isError || collect.isError) && (
        <Alert color="red" role="alert" data-testid="evaluation-import-error">
          {errorMessage(importer.error ?? collect.error)}
          {rowErrors.length > 0 && (
            <List size="xs" mt={4}>
              {rowErrors.slice(0, 10).map((e) => (
                <List.Item key={`${e.row}-${e.message}`}>{t('aiLoop.evaluation.rowError', { row: e.row, message: e.message })}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      <AddCase />
    </Stack>
  );
}

function AddCase() {
  const { t } = useTranslation();
  const faq = useQuery({ queryKey: ['ai', 'evaluation', 'faq'], queryFn: ({ signal }) => listFaqEntries(signal) });
  const add = useAddEvaluationCase();
  const [question, setQuestion] = useState('');
  const [expected, setExpected] = useState<string | null>(null);
  const options = [
    { value: PERSON, label: t('aiLoop.evaluation.person') },
    ...(faq.data?.items ?? []).map((a) => ({ value: a.id, label: a.title })),
  ];
  const submit = () =>
    add.mutate(
      { question: question.trim(), expectedArticleId: expected === PERSON ? null : expected },
      {
        onSuccess: () => {
          setQuestion('');
          setExpected(null);
        },
      },
    );
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <TextInput
        label={t('aiLoop.evaluation.question')}
        value={question}
        onChange={(e) => setQuestion(e.currentTarget.value)}
        maxLength={1000}
        style={{ flex: 2, minWidth: 220 }}
        data-testid="evaluation-question"
      />
      <Select
        label={t('aiLoop.evaluation.expected')}
        data={options}
        value={expected}
        onChange={setExpected}
        searchable
        style={{ flex: 2, minWidth: 220 }}
        data-testid="evaluation-expected"
      />
      <Button
        leftSection={<IconPlus size={16} />}
        variant="light"
        disabled={!question.trim() || !expected}
        loading={add.isPending}
        onClick={submit}
        data-testid="evaluation-add"
      >
        {t('aiLoop.evaluation.add')}
      </Button>
      {add.isError && (
        <Text fz="xs" c="red" w="100%">
          {errorMessage(add.error)}
        </Text>
      )}
    </Group>
  );
}

/** Right / wrong / hand-over at the current threshold, the curve, and the threshold picked from it. */
function Score({ result, canManage, onChanged }: { result: EvaluationResult; canManage: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const [selected, setSelected] = useState(result.threshold);
  const settings = useAiSettings();
  const update = useUpdateAiSettings();
  const at = pointAt(result.cases, selected);
  const c = result.current;
  const of = t('aiLoop.evaluation.ofQuestions', { count: result.total });
  return (
    <Card withBorder padding="lg" data-testid="evaluation-score">
      <Title order={3} fz="md" mb="sm">
        {t('aiLoop.evaluation.atThreshold', { value: formatPercent(result.threshold, locale) })}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
        <StatCard label={t('aiLoop.evaluation.right')} rate={c.right} caption={of} color="teal" testId="evaluation-right" />
        <StatCard label={t('aiLoop.evaluation.wrong')} rate={c.wrong} caption={of} color="red" testId="evaluation-wrong" />
        <StatCard label={t('aiLoop.evaluation.handover')} rate={c.handover} caption={of} color="orange" testId="evaluation-handover" />
      </SimpleGrid>
      <EvaluationCurve curve={result.curve} current={result.threshold} selected={selected} onPick={setSelected} />
      <Stack gap={4} mt="md">
        <Text fz="sm" fw={600}>
          {t('aiLoop.evaluation.pick', { value: formatPercent(selected, locale) })}
        </Text>
        <Slider
          min={0}
          max={1}
          step={0.01}
          value={selected}
          onChange={setSelected}
          label={(v) => formatPercent(v, locale)}
          data-testid="evaluation-threshold"
        />
        <Text fz="sm" data-testid="evaluation-selected">
          {t('aiLoop.evaluation.wouldBe', {
            coverage: formatPercent(at.coverage, locale),
            right: formatPercent(at.right, locale),
            wrong: formatPercent(at.wrong, locale),
            handover: formatPercent(at.handover, locale),
          })}
        </Text>
        {canManage && (
          <Group>
            <Button
              variant="light"
              color="violet"
              disabled={!settings.data || Math.abs(selected - result.threshold) < 0.005}
              loading={update.isPending}
              onClick={() =>
                update.mutate(
                  { confidenceThreshold: selected },
                  {
                    onSuccess: () => {
                      notifySuccess(t('aiLoop.evaluation.thresholdSaved', { value: formatPercent(selected, locale) }));
                      onChanged();
                    },
                  },
                )
              }
              data-testid="evaluation-use-threshold"
            >
              {t('aiLoop.evaluation.useThreshold')}
            </Button>
            {update.isError && (
              <Text fz="xs" c="red">
                {errorMessage(update.error)}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function CasesTable({ canManage, result }: { canManage: boolean; result: EvaluationResult | null }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const cases = useEvaluationCases();
  const remove = useDeleteEvaluationCase();
  const scored = new Map(result?.cases.map((c) => [c.id, c]) ?? []);
  const items = cases.data?.items ?? [];
  return (
    <Card withBorder padding="lg" data-testid="evaluation-cases">
      <Title order={3} fz="md" mb="sm">
        {t('aiLoop.evaluation.set', { count: cases.data?.total ?? 0 })}
      </Title>
      {items.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('aiLoop.evaluation.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('aiLoop.evaluation.question')}</Table.Th>
                <Table.Th>{t('aiLoop.evaluation.expected')}</Table.Th>
                <Table.Th>{t('aiLoop.evaluation.botAnswers')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => {
                const s = scored.get(c.id);
                return (
                  <Table.Tr key={c.id} data-testid="evaluation-case">
                    <Table.Td>{c.question}</Table.Td>
                    <Table.Td c={c.expectedArticleId ? undefined : 'dimmed'}>{c.expectedTitle ?? t('aiLoop.evaluation.person')}</Table.Td>
                    <Table.Td>
                      {s && (
                        <Group gap={6} wrap="nowrap">
                          <Badge size="xs" color={OUTCOME_COLORS[s.outcome]} variant="light" data-testid="evaluation-outcome">
                            {t(`aiLoop.evaluation.outcome.${s.outcome}`)}
                          </Badge>
                          <Text fz="xs" c="dimmed" lineClamp={1}>
                            {s.forcedHandover ? t('aiLoop.evaluation.forced') : (s.predictedTitle ?? '—')} ·{' '}
                            {formatPercent(s.confidence, locale)}
                          </Text>
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td w={40}>
                      {canManage && (
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={t('aiLoop.evaluation.remove')}
                          onClick={() => remove.mutate(c.id)}
                          data-testid="evaluation-case-delete"
                        >
                          <IconTrash size={14} />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
