import type { AiRepository } from '../ai.repository.js';
import { Classifier } from './classifier.model.js';

/** Reads a stored classifier version; null when the row has no model (failed or still training). */
export async function loadClassifier(repo: AiRepository, accountId: string, id: string): Promise<Classifier | null> {
  const bytes = await repo.modelBytes(accountId, id);
  return bytes ? Classifier.deserialise(bytes) : null;
}
