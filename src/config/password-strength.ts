import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/**
 * A fresh estimator per check, not one kept for the process's life: its ranked dictionaries are
 * ≈ 23 MB of heap (a quarter of an idle server's), and the only check is ADMIN_PASSWORD's at
 * start-up (0.3–0.5 s to build). The last answer is kept, so reading the same configuration again
 * builds nothing.
 */
const estimator = () => new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
let last: { key: string; answer: string | null } | null = null;

export const MIN_ADMIN_PASSWORD_LENGTH = 12;

/**
 * Why a password is too weak for an admin account, or null. zxcvbn estimates how many guesses an
 * attacker needs (dictionaries, keyboard walks, dates, l33t); score 3 is ~10^8 guesses or more.
 */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) return `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`;
  const key = JSON.stringify([password, userInputs]);
  if (last?.key === key) return last.answer;
  const r = estimator().check(password, ['forewarn', ...userInputs.flatMap((u) => [u, ...u.split(/[@.]/)])]);
  const answer = r.score < 3 ? `is too easy to guess${r.feedback.warning ? ` (${r.feedback.warning})` : ''}; use a long passphrase of unrelated words` : null;
  last = { key, answer };
  return answer;
}
