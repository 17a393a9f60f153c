import { describe, expect, it } from 'vitest';
import { normaliseUpdate } from './telegram.normalise.js';

const base = {
  message_id: 42,
  date: 1_700_000_000,
  chat: { id: 555, type: 'private' as const, first_name: 'Анна' },
  from: { id: 555, is_bot: false, first_name: 'Анна', last_name: 'Петрова', username: 'anna_p' },
};

describe('normaliseUpdate', () => {
  it('maps a text message', () => {
    const m = normaliseUpdate({ update_id: 1, message: { ...base, text: 'Здравствуйте' } })!;
    expect(m).toEqual({
      externalId: '555:42',
      chatId: '555',
      contact: { externalId: '555', name: 'Анна Петрова', username: 'anna_p' },
      text: 'Здравствуйте',
      attachments: [],
      sentAt: new Date(1_700_000_000_000),
      edited: false,
    });
  });

  it('keeps the largest photo size and the caption', () => {
    const m = normaliseUpdate({
      update_id: 2,
      message: {
        ...base,
        caption: 'фото',
        photo: [
          { file_id: 's', file_unique_id: 's', width: 90, height: 90 },
          { file_id: 'l', file_unique_id: 'l', width: 800, height: 800, file_size: 5000 },
        ],
      },
    })!;
    expect(m.text).toBe('фото');
    expect(m.attachments).toEqual([{ kind: 'photo', fileId: 'l', size: 5000 }]);
  });

  it('maps documents and voice notes without text', () => {
    const doc = normaliseUpdate({
      update_id: 3,
      message: {
        ...base,
        document: { file_id: 'd', file_unique_id: 'd', file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: 1200 },
      },
    })!;
    expect(doc.text).toBeNull();
    expect(doc.attachments).toEqual([{ kind: 'document', fileId: 'd', fileName: 'invoice.pdf', mimeType: 'application/pdf', size: 1200 }]);
    const voice = normaliseUpdate({
      update_id: 4,
      message: { ...base, voice: { file_id: 'v', file_unique_id: 'v', duration: 3, mime_type: 'audio/ogg' } },
    })!;
    expect(voice.attachments[0]).toMatchObject({ kind: 'voice', fileId: 'v' });
  });

  it('flags edits, keeping the original message id', () => {
    const m = normaliseUpdate({ update_id: 5, edited_message: { ...base, text: 'исправлено', edit_date: 1_700_000_100 } })!;
    expect(m.edited).toBe(true);
    expect(m.externalId).toBe('555:42');
  });

  it('ignores update types and service messages it does not handle', () => {
    expect(normaliseUpdate({ update_id: 6, callback_query: { id: 'q', from: base.from, chat_instance: 'c' } })).toBeNull();
    expect(normaliseUpdate({ update_id: 7, message: { ...base, new_chat_members: [] } })).toBeNull();
  });
});
