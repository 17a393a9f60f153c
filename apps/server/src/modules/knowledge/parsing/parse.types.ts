export type DocumentFormat = 'md' | 'txt' | 'html' | 'pdf' | 'docx';

/** A run of text under one heading; `headingPath` lists the enclosing headings, outermost first. */
export interface ParsedSection {
  headingPath: string[];
  /** Plain text: blocks (paragraphs, lists, tables) separated by a blank line, list items and table rows by a newline. */
  text: string;
}

export interface ParsedDocument {
  title: string;
  format: DocumentFormat;
  sections: ParsedSection[];
}

/** A document as a stream of headings and text blocks, before it is folded into sections. */
export type DocumentBlock = { kind: 'heading'; depth: number; text: string } | { kind: 'text'; text: string };
