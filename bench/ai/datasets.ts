import { pathToFileURL } from 'node:url';

/** The public datasets folder: `DATASETS_DIR` when set (e.g. from a git worktree elsewhere), else ../shared/datasets beside the repository. */
export const DATASETS = process.env.DATASETS_DIR
  ? pathToFileURL(`${process.env.DATASETS_DIR.replace(/\/$/, '')}/`)
  : new URL('../../../shared/datasets/', import.meta.url);
