import { describe, expect, it } from 'vitest';
import { originAllowed } from './widget.cors.js';

const own = { origin: 'https://sb.example', host: 'sb.example' };

describe('widget origins', () => {
  it('lets any site embed a channel without a list', () => {
    expect(originAllowed('https://anything.example', [], own)).toBe(true);
  });

  it('holds a list exactly, ignoring case and a trailing slash', () => {
    const list = ['https://Shop.example/', 'http://localhost:8080'];
    expect(originAllowed('https://shop.example', list, own)).toBe(true);
    expect(originAllowed('http://localhost:8080', list, own)).toBe(true);
    expect(originAllowed('http://shop.example', list, own)).toBe(false);
    expect(originAllowed('https://shop.example.evil.example', list, own)).toBe(false);
    expect(originAllowed('null', list, own)).toBe(false);
  });

  it("always allows the product's own pages and requests without an Origin", () => {
    const list = ['https://shop.example'];
    expect(originAllowed(undefined, list, own)).toBe(true);
    expect(originAllowed('https://sb.example', list, own)).toBe(true);
    // The demo opened under another name of the same server (not PUBLIC_URL).
    expect(originAllowed('http://10.0.0.5:3000', list, { origin: own.origin, host: '10.0.0.5:3000' })).toBe(true);
    expect(originAllowed('http://10.0.0.5:3000', list, own)).toBe(false);
  });
});
