import { cleanBlock, cleanLine } from './parse.text.js';
import type { DocumentBlock, ParsedSection } from './parse.types.js';

/**
 * Folds headings and text blocks into sections. A document with exactly one top-level heading uses it
 * as its title, so it is left out of every heading path (the title is shown next to the path anyway).
 */
export function foldIntoSections(blocks: DocumentBlock[]): { title: string | undefined; sections: ParsedSection[] } {
  const cleaned = blocks
    .map((b) => (b.kind === 'heading' ? { ...b, text: cleanLine(b.text) } : { ...b, text: cleanBlock(b.text) }))
    .filter((b) => b.text !== '');
  const topLevel = cleaned.filter((b) => b.kind === 'heading' && b.depth === 1);
  const title = topLevel[0]?.text;
  const titleIsOnlyH1 = topLevel.length === 1;

  const open: { depth: number; text: string }[] = [];
  const drafts: { headingPath: string[]; blocks: string[] }[] = [];
  let current: (typeof drafts)[number] | undefined;
  for (const block of cleaned) {
    if (block.kind === 'heading') {
      while (open.length > 0 && (open.at(-1)?.depth ?? 0) >= block.depth) open.pop();
      if (!(titleIsOnlyH1 && block.depth === 1)) open.push(block);
      current = undefined;
      continue;
    }
    if (!current) {
      current = { headingPath: open.map((h) => h.text), blocks: [] };
      drafts.push(current);
    }
    current.blocks.push(block.text);
  }
  return { title, sections: drafts.map((d) => ({ headingPath: d.headingPath, text: d.blocks.join('\n\n') })) };
}
