import { describe, expect, it } from 'vitest';
import { isUuid } from './ids.js';

describe('isUuid', () => {
  it.each(['6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b', '6F1C2A9E-3B4D-4E5F-8A7B-0C1D2E3F4A5B', '00000000-0000-0000-0000-000000000000'])(
    'accepts %s',
    (id) => expect(isUuid(id)).toBe(true),
  );

  it.each([
    '',
    'not-a-uuid',
    '6f1c2a9e3b4d4e5f8a7b0c1d2e3f4a5b',
    '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5bb',
    'zf1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b',
    ' 6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b',
    '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b\n',
    '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5\0',
  ])('refuses %j', (id) => expect(isUuid(id)).toBe(false));

  it('refuses what is not a string', () => {
    for (const v of [undefined, null, 42, {}, ['6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b']]) expect(isUuid(v)).toBe(false);
  });
});
