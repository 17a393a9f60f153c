import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AppError } from '../../platform/http/errors.js';

export const PASSWORD_MIN_LENGTH = 10;
/**
 * zxcvbn's score 3 means about 10^8 guesses or more: out of reach online, and slow offline against
 * argon2id. The shipped list (~49,000 of the commonest breached passwords), repeats ("aaaaaaaaaa"),
 * sequences ("1234567890"), keyboard walks ("qwertyuiop") and the user's own e-mail all score lower.
 */
const MIN_SCORE = 3;
/** Judged on its first 64 characters: a longer password is at least as strong as its start. */
const CHECKED_LENGTH = 64;

let estimator: Promise<ZxcvbnFactory> | undefined;
/** Loaded on first use: the dictionaries take about a second to unpack, which most processes never need. */
function strength(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
      // Matching is superlinear in length and in l33t variants: both are capped so one check stays ~100 ms.
      maxLength: CHECKED_LENGTH,
      l33tMaxSubstitutions: 8,
    });
  })();
  return estimator;
}

/**
 * Why `password` may not be used, or null when it may. `email` (when known) counts as guessable:
 * neither the address nor its local part may carry the password.
 */
export async function passwordProblem(password: string, email?: string): Promise<string | null> {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  const personal = email ? [email.toLowerCase(), email.split('@')[0]!.toLowerCase()] : [];
  const result = (await strength()).check(password.slice(0, CHECKED_LENGTH), personal);
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ?? 'It is too easy to guess.';
  const hint = result.feedback.suggestions[0] ?? 'Add another word or two; uncommon words are better.';
  return `${why} ${hint}`;
}

/** The one gate every password passes before it is stored: `weak_password` (422) says why not. */
export async function assertStrongPassword(password: string, email: string): Promise<void> {
  const problem = await passwordProblem(password, email);
  if (problem) throw new AppError('weak_password', `This password cannot be used: ${problem}`, [{ path: 'password', message: problem }]);
}
