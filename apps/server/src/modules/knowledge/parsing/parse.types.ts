/** `image`: a photo or scan (PNG, JPEG, TIFF), read only by OCR. */
export type DocumentFormat = 'md' | 'txt' | 'html' | 'pdf' | 'docx' | 'image';

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
  /** Pages (1-based) with no text layer: a scan, read by OCR. Empty for formats that are text already. */
  ocrPages: number[];
  /** Pages of a PDF (1 for an image); 0 for formats without pages. */
  pageCount: number;
}

/** A document as a stream of headings and text blocks, before it is folded into sections. */
export type DocumentBlock = { kind: 'heading'; depth: number; text: string } | { kind: 'text'; text: string };
