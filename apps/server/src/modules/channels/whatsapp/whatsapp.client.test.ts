import { describe, expect, it } from 'vitest';
import { isMetaMediaUrl } from './whatsapp.client.js';

const ROOT = 'https://graph.facebook.com/v21.0';

describe('which media URLs receive the access token', () => {
  it.each([
    'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1',
    'https://scontent.xx.fbcdn.net/v/t1.jpg',
    'https://graph.facebook.com/v21.0/123',
    'https://mmg.whatsapp.net/d/f/abc.enc',
  ])('%s: yes', (url) => expect(isMetaMediaUrl(url, ROOT)).toBe(true));

  it.each([
    'http://lookaside.fbsbx.com/x', // plain http
    'https://fbsbx.com.evil.example/x',
    'https://evilfacebook.com/x',
    'https://169.254.169.254/latest',
    'not a url',
  ])('%s: no', (url) => expect(isMetaMediaUrl(url, ROOT)).toBe(false));

  it('the configured Graph API root (a proxy or test server) keeps its origin, even over http', () => {
    expect(isMetaMediaUrl('http://127.0.0.1:4000/media-download/1', 'http://127.0.0.1:4000/v21.0')).toBe(true);
    expect(isMetaMediaUrl('http://127.0.0.1:4001/media-download/1', 'http://127.0.0.1:4000/v21.0')).toBe(false);
  });
});
