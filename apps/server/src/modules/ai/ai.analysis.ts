import type { SearchableChunk } from '../knowledge/knowledge.repository.js';
import { Classifier, type Prediction } from './classifier/classifier.model.js';
import { KnowledgeIndex, type Retrieval } from './retrieval/knowledge.index.js';
import { supportLexicon } from './lexicon/lexicon.js';

/**
 * The CPU-heavy AI work, done in the analysis thread (ai.analysis.thread.ts) so the HTTP event loop never
 * waits on it: search indexes and classifiers are built and queried there. The thread keeps them per
 * account between tasks; after a restart (a task over its time limit ends the thread) they are asked for
 * again: a query answers 'missing' and the caller sends what is needed.
 */
export type AnalysisTask =
  | { kind: 'index'; accountId: string; version: number; chunks: SearchableChunk[]; synonyms?: string[] }
  | { kind: 'retrieve'; accountId: string; version: number; query: string; limit: number; vector: number[] | null; synonyms?: string[] }
  | { kind: 'model'; accountId: string; modelId: string; bytes: Uint8Array }
  | { kind: 'classify'; accountId: string; modelId: string; text: string };

export interface AnalysisResults {
  index: null;
  /** 'missing': the thread holds no index of this version (or newer) for the account. */
  retrieve: Retrieval | 'missing';
  model: null;
  classify: Prediction | 'missing';
}

export type AnalysisResult = AnalysisResults[keyof AnalysisResults];

// Built while the thread starts (outside any task's deadline): every index build extends it.
supportLexicon();

const indexes = new Map<string, { version: number; lexicon: string; index: KnowledgeIndex }>();
/** The account's synonym lines as one key: an index built with other synonyms is not the one asked for. */
const lexiconKey = (synonyms: string[] | undefined) => (synonyms ?? []).join('\n');
const classifiers = new Map<string, { modelId: string; model: Classifier }>();

export function analyseTask(task: AnalysisTask): AnalysisResult {
  switch (task.kind) {
    case 'index': {
      // Two callers may load different versions at once: the newer index wins.
      if ((indexes.get(task.accountId)?.version ?? -1) <= task.version) {
        const synonyms = task.synonyms ?? [];
        indexes.set(task.accountId, {
          version: task.version,
          lexicon: lexiconKey(synonyms),
          index: KnowledgeIndex.build(task.chunks, { synonyms }),
        });
      }
      return null;
    }
    case 'retrieve': {
      const held = indexes.get(task.accountId);
      if (!held || held.version < task.version || held.lexicon !== lexiconKey(task.synonyms)) return 'missing';
      return held.index.retrieve(task.query, task.limit, task.vector);
    }
    case 'model':
      classifiers.set(task.accountId, { modelId: task.modelId, model: Classifier.deserialise(task.bytes) });
      return null;
    case 'classify': {
      const held = classifiers.get(task.accountId);
      return held?.modelId === task.modelId ? held.model.predict(task.text) : 'missing';
    }
  }
}
