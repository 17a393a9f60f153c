import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTelegramLogin, signTelegramLogin } from './bridge.login.js';

const TOKEN = '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const now = 1_700_000_000;
const fields = { id: 42, first_name: 'Анна', username: 'anna_p', photo_url: 'https://t.me/i/userpic/320/a.jpg', auth_date: now - 60 };

describe('checkTelegramLogin', () => {
  it('accepts data signed with the bot token', () => {
    expect(checkTelegramLogin(signTelegramLogin(fields, TOKEN), TOKEN, now)).toBe('ok');
  });

  it('matches the documented data_check_string (sorted key=value lines)', () => {
    const dcs = `auth_date=${now - 60}\nfirst_name=Анна\nid=42\nphoto_url=https://t.me/i/userpic/320/a.jpg\nusername=anna_p`;
    const hash = createHmac('sha256', createHash('sha256').update(TOKEN).digest()).update(dcs).digest('hex');
    expect(checkTelegramLogin({ ...fields, hash }, TOKEN, now)).toBe('ok');
  });

  it('rejects a tampered field or another bot token', () => {
    const signed = signTelegramLogin(fields, TOKEN);
    expect(checkTelegramLogin({ ...signed, id: 43 }, TOKEN, now)).toBe('bad_hash');
    expect(checkTelegramLogin(signed, '999:other-token-other-token-other', now)).toBe('bad_hash');
  });

  it('rejects data older than a day', () => {
    const signed = signTelegramLogin({ ...fields, auth_date: now - 86_401 }, TOKEN);
    expect(checkTelegramLogin(signed, TOKEN, now)).toBe('stale');
  });
});
