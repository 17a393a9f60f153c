import { describe, expect, it } from 'vitest';
import { capReferences, replySubject, stripQuotedReply } from './email.text.js';

describe('stripQuotedReply', () => {
  it('cuts the history after an "On … wrote:" line, also when the client wrapped it', () => {
    expect(stripQuotedReply('Thanks!\n\nOn Mon, 1 Jan 2024 at 10:00, Shop <support@shop.test> wrote:\n> Your order shipped')).toBe(
      'Thanks!',
    );
    expect(stripQuotedReply('Thanks!\n\nOn Mon, 1 Jan 2024 at 10:00, Shop Support <\nsupport@shop.test> wrote:\n> shipped')).toBe(
      'Thanks!',
    );
  });

  it('understands Russian clients and separators', () => {
    expect(stripQuotedReply('Спасибо!\n\n1 января 2024 г., в 10:00, Магазин <support@shop.test> написал:\n> Заказ отправлен')).toBe(
      'Спасибо!',
    );
    expect(stripQuotedReply('Ок\n\n-------- Исходное сообщение --------\nОт: support@shop.test')).toBe('Ок');
  });

  it('cuts an Outlook header block', () => {
    const text = 'See attached.\n\nFrom: Shop Support <support@shop.test>\nSent: Monday, January 1, 2024 10:00\nTo: me\nSubject: Order';
    expect(stripQuotedReply(text)).toBe('See attached.');
  });

  it('cuts trailing quoted lines but keeps answers between quotes', () => {
    expect(stripQuotedReply('Yes please\n\n> Do you want delivery?\n> Reply yes or no')).toBe('Yes please');
    expect(stripQuotedReply('> Which size?\nXL\n> Which colour?\nRed')).toBe('> Which size?\nXL\n> Which colour?\nRed');
  });

  it('keeps everything when nothing is marked, or when the whole text is a quote', () => {
    expect(stripQuotedReply('Hello,\nwhere is my order?\n')).toBe('Hello,\nwhere is my order?');
    expect(stripQuotedReply('> only a quote')).toBe('> only a quote');
  });
});

describe('replySubject', () => {
  it('adds one Re: and never stacks them', () => {
    expect(replySubject('Order 1042')).toBe('Re: Order 1042');
    expect(replySubject('Re: Order 1042')).toBe('Re: Order 1042');
    expect(replySubject('RE: Re: Order')).toBe('RE: Re: Order');
    expect(replySubject('Ответ: Заказ')).toBe('Ответ: Заказ');
    expect(replySubject('')).toBe('Re:');
  });
});

describe('capReferences', () => {
  it('keeps the root and the latest ids, without duplicates', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `<${i}@x>`);
    const capped = capReferences([...ids, '<5@x>']);
    expect(capped).toHaveLength(20);
    expect(capped[0]).toBe('<0@x>');
    expect(capped.at(-1)).toBe('<29@x>');
    expect(capReferences(['<a@x>', '<a@x>', '<b@x>'])).toEqual(['<a@x>', '<b@x>']);
  });
});
