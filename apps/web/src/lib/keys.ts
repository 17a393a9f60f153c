import type { KeyboardEvent } from 'react';

/**
 * For single-line fields inside a dialog's form: Enter picks or finishes the value (a suggestion, a
 * colour) instead of submitting the whole dialog. Other handlers on the field still see the key.
 */
export function keepEnterInField(e: KeyboardEvent<HTMLElement>): void {
  if (e.key === 'Enter' && !e.nativeEvent.isComposing) e.preventDefault();
}
