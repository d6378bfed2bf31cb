import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

let factory: ZxcvbnFactory | null = null;
const estimator = () => (factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations }));

export const MIN_ADMIN_PASSWORD_LENGTH = 12;

/**
 * Why a password is too weak for an admin account, or null. zxcvbn estimates how many guesses an
 * attacker needs (dictionaries, keyboard walks, dates, l33t); score 3 is ~10^8 guesses or more.
 */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) return `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`;
  const r = estimator().check(password, ['forewarn', ...userInputs.flatMap((u) => [u, ...u.split(/[@.]/)])]);
  if (r.score < 3) return `is too easy to guess${r.feedback.warning ? ` (${r.feedback.warning})` : ''}; use a long passphrase of unrelated words`;
  return null;
}
