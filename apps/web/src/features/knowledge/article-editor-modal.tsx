import { Alert, Button, Group, Modal, Stack, Switch, TagsInput, Textarea, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { Article, UpdateArticleRequest } from '@switchboard/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { CategoryInput } from './category-input';
import { useCreateFaq, useUpdateArticle } from './use-knowledge';

const MAX_ALTERNATIVES = 50;

/** Creates an FAQ entry (no `article`) or edits one; for a document only title, category and publishing. */
export function ArticleEditorModal({ article, onClose }: { article: Article | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateFaq();
  const update = useUpdateArticle({ inlineErrors: true });
  const isDocument = article?.kind === 'document';
  const [title, setTitle] = useState(article?.title ?? '');
  const [question, setQuestion] = useState(article?.question ?? '');
  const [answer, setAnswer] = useState(article?.answer ?? '');
  const [alternatives, setAlternatives] = useState<string[]>(article?.alternatives ?? []);
  const [category, setCategory] = useState(article?.category ?? '');
  const [published, setPublished] = useState(article?.published ?? true);
  const [touched, setTouched] = useState(false);
  const mutation = article ? update : create;

  const required = (value: string) => (touched && !value.trim() ? t('knowledge.form.required') : undefined);
  const valid = isDocument ? Boolean(title.trim()) : Boolean(question.trim() && answer.trim());

  const done = (saved: Article) => {
    notifySuccess(article ? t('knowledge.saved') : t('knowledge.created', { title: saved.title }));
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid) return;
    const categoryValue = category.trim() || null;
    if (!article) {
      create.mutate(
        { kind: 'faq', question: question.trim(), answer: answer.trim(), alternatives, category: categoryValue, published },
        { onSuccess: done },
      );
      return;
    }
    const patch: UpdateArticleRequest = {};
    if (isDocument && title.trim() !== article.title) patch.title = title.trim();
    if (!isDocument && question.trim() !== article.question) patch.question = question.trim();
    if (!isDocument && answer.trim() !== article.answer) patch.answer = answer.trim();
    if (!isDocument && alternatives.join('\n') !== article.alternatives.join('\n')) patch.alternatives = alternatives;
    if (categoryValue !== article.category) patch.category = categoryValue;
    if (published !== article.published) patch.published = published;
    if (Object.keys(patch).length === 0) onClose();
    else update.mutate({ id: article.id, patch }, { onSuccess: done });
  };

  const heading = !article ? t('knowledge.newFaq') : isDocument ? t('knowledge.editDocument') : t('knowledge.editFaq');
  return (
    <Modal opened onClose={onClose} title={heading} centered size="lg">
      <form onSubmit={submit} noValidate data-testid="article-form">
        <Stack>
          {mutation.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="article-form-error">
              {errorMessage(mutation.error)}
            </Alert>
          )}
          {isDocument ? (
            <TextInput
              label={t('knowledge.form.title')}
              required
              maxLength={300}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={required(title)}
              data-autofocus
            />
          ) : (
            <>
              <Textarea
                label={t('knowledge.form.question')}
                required
                autosize
                minRows={1}
                maxRows={4}
                maxLength={1000}
                value={question}
                onChange={(e) => setQuestion(e.currentTarget.value)}
                error={required(question)}
                data-autofocus
                data-testid="faq-question-input"
              />
              <TagsInput
                label={t('knowledge.form.alternatives')}
                description={t('knowledge.form.alternativesHint')}
                value={alternatives}
                onChange={setAlternatives}
                maxTags={MAX_ALTERNATIVES}
                splitChars={['|']}
                clearable
                data-testid="faq-alternatives-input"
              />
              <Textarea
                label={t('knowledge.form.answer')}
                required
                autosize
                minRows={4}
                maxRows={14}
                maxLength={10_000}
                value={answer}
                onChange={(e) => setAnswer(e.currentTarget.value)}
                error={required(answer)}
                data-testid="faq-answer-input"
              />
            </>
          )}
          <CategoryInput value={category} onChange={setCategory} />
          <Switch
            label={t('knowledge.form.published')}
            description={t('knowledge.form.publishedHint')}
            checked={published}
            onChange={(e) => setPublished(e.currentTarget.checked)}
            data-testid="article-published-input"
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="article-save">
              {article ? t('common.save') : t('knowledge.createFaq')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
