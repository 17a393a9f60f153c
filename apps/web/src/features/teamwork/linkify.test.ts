import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('linkify', () => {
  it('makes http(s), www and e-mail links, leaving trailing punctuation outside', () => {
    expect(linkify('See https://shop.example/item?id=1, or www.example.ru. Mail me: a.b@example.com!')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://shop.example/item?id=1', href: 'https://shop.example/item?id=1' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'www.example.ru', href: 'https://www.example.ru' },
      { kind: 'text', text: '. Mail me: ' },
      { kind: 'link', text: 'a.b@example.com', href: 'mailto:a.b@example.com' },
      { kind: 'text', text: '!' },
    ]);
  });

  it('never links javascript: or data: URLs', () => {
    const parts = linkify('click javascript:alert(1) or data:text/html;base64,xx');
    expect(parts.filter((p) => p.kind === 'link')).toEqual([]);
  });

  it('marks @mentions of known names', () => {
    expect(linkify('@Анна Петрова посмотри, @nobody', ['Анна Петрова'])).toEqual([
      { kind: 'mention', text: '@Анна Петрова' },
      { kind: 'text', text: ' посмотри, @nobody' },
    ]);
  });
});
