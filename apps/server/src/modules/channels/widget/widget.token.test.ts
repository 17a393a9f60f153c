import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signStreamTicket, signVisitorToken, STREAM_TICKET_TTL_MS, verifyStreamTicket, verifyVisitorToken } from './widget.token.js';

const key = 'k'.repeat(43);
const channel = randomUUID();
const visitor = randomUUID();

describe('visitor tokens', () => {
  it('verifies its own token and names the visitor', () => {
    expect(verifyVisitorToken(key, channel, signVisitorToken(key, channel, visitor))).toBe(visitor);
  });

  it('refuses a token of another channel, another key, or with a swapped visitor id', () => {
    const token = signVisitorToken(key, channel, visitor);
    expect(verifyVisitorToken(key, randomUUID(), token)).toBeNull();
    expect(verifyVisitorToken('x'.repeat(43), channel, token)).toBeNull();
    const [v, , sig] = token.split('.');
    expect(verifyVisitorToken(key, channel, `${v}.${randomUUID()}.${sig}`)).toBeNull();
  });

  it('refuses malformed and unversioned tokens', () => {
    const token = signVisitorToken(key, channel, visitor);
    for (const bad of [
      undefined,
      42,
      '',
      'v1',
      `v2${token.slice(2)}`,
      `${token}.x`,
      token.slice(0, -2),
      `v1.not-a-uuid.${token.split('.')[2]}`,
    ]) {
      expect(verifyVisitorToken(key, channel, bad)).toBeNull();
    }
  });
});

describe('stream tickets', () => {
  const now = Date.UTC(2030, 0, 1);
  const ticket = signStreamTicket(key, channel, visitor, now + STREAM_TICKET_TTL_MS);

  it('open the stream of their visitor until they expire a minute later', () => {
    expect(verifyStreamTicket(key, channel, ticket, now)).toBe(visitor);
    expect(verifyStreamTicket(key, channel, ticket, now + STREAM_TICKET_TTL_MS - 1_000)).toBe(visitor);
    expect(verifyStreamTicket(key, channel, ticket, now + STREAM_TICKET_TTL_MS)).toBeNull();
  });

  it('refuse another channel, another key, a moved expiry or a swapped visitor', () => {
    expect(verifyStreamTicket(key, randomUUID(), ticket, now)).toBeNull();
    expect(verifyStreamTicket('x'.repeat(43), channel, ticket, now)).toBeNull();
    const [v, id, expires, sig] = ticket.split('.');
    expect(verifyStreamTicket(key, channel, `${v}.${id}.${Number(expires) + 3600}.${sig}`, now)).toBeNull();
    expect(verifyStreamTicket(key, channel, `${v}.${randomUUID()}.${expires}.${sig}`, now)).toBeNull();
  });

  it('are not visitor tokens, and visitor tokens are not tickets', () => {
    const token = signVisitorToken(key, channel, visitor);
    expect(verifyVisitorToken(key, channel, ticket)).toBeNull();
    expect(verifyStreamTicket(key, channel, token, now)).toBeNull();
  });
});
