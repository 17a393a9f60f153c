import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import { htmlBlocks } from './parse.html.js';
import { listItemLine, tableToLines } from './parse.text.js';
import type { DocumentBlock } from './parse.types.js';

// YAML front matter (Jekyll, Hugo, Obsidian) is metadata, not text; marked would read it as a heading.
const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/;

/** Markdown into headings and text blocks; lists and tables become plain lines, code is kept as written. */
export function markdownBlocks(markdown: string): DocumentBlock[] {
  return new Lexer({ gfm: true }).lex(markdown.replace(FRONT_MATTER, '')).flatMap(blocksOf);
}

function blocksOf(token: Token): DocumentBlock[] {
  const t = token as MarkedToken;
  // Only block tokens that carry text are listed; the rest fall through to the default.
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check
  switch (t.type) {
    case 'heading':
      return [{ kind: 'heading', depth: t.depth, text: inlineText(t.tokens) }];
    case 'paragraph':
      return [{ kind: 'text', text: inlineText(t.tokens) }];
    case 'text':
      return [{ kind: 'text', text: inlineText(t.tokens ?? [t]) }];
    case 'list':
      return [{ kind: 'text', text: listLines(t, 0).join('\n') }];
    case 'table': {
      const cells = (row: Tokens.TableCell[]) => row.map((c) => inlineText(c.tokens));
      return [{ kind: 'text', text: tableToLines(cells(t.header), t.rows.map(cells)).join('\n') }];
    }
    case 'code':
      return [{ kind: 'text', text: t.text }];
    case 'blockquote':
      return t.tokens.flatMap(blocksOf);
    case 'html':
      return htmlBlocks(t.text);
    default:
      return []; // spacing, rules, link definitions
  }
}

function listLines(list: Tokens.List, depth: number): string[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items.flatMap((item, i) => {
    const nested = item.tokens.filter((t): t is Tokens.List => t.type === 'list');
    const own = item.tokens
      .filter((t) => t.type !== 'list')
      .flatMap(blocksOf)
      .map((b) => b.text)
      .join(' ');
    return [...(own.trim() ? [listItemLine(own, list.ordered, start + i, depth)] : []), ...nested.flatMap((n) => listLines(n, depth + 1))];
  });
}

/** Emphasis, links and inline code reduced to their words; a link keeps its text, an image its alt text. */
function inlineText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      const t = token as MarkedToken;
      // Inline tokens without text of their own fall through to the default.
      // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check
      switch (t.type) {
        case 'br':
          return '\n';
        case 'html':
        case 'checkbox':
          return '';
        case 'strong':
        case 'em':
        case 'del':
        case 'link':
          return inlineText(t.tokens);
        case 'text':
          return t.tokens ? inlineText(t.tokens) : softText(t.text);
        default:
          return 'text' in t ? softText(t.text) : '';
      }
    })
    .join('');
}

// A single newline inside a Markdown paragraph is only wrapping; entities are written out.
const softText = (text: string) => decodeEntities(text.replace(/\n/g, ' '));

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  laquo: '«',
  raquo: '»',
  mdash: '—',
  ndash: '–',
  hellip: '…',
};

const decodeEntities = (text: string) =>
  text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
