import { ValidationFailedError } from '../common/errors';
import type { LinkSigner } from './signed-link';

/** The pages a mail links to; each link grants its one page to its one person. */
export type PageName = 'appearance' | 'debrief' | 'preferences';

export interface PageGrant {
  userId: string;
  page: PageName;
  /** Required for the appearance and debrief pages. */
  appearanceId?: string;
  /** Expiry, epoch ms. */
  exp: number;
}

export function pagePath(page: PageName, appearanceId?: string): string {
  if (page === 'preferences') return '/pages/preferences';
  return page === 'debrief' ? `/pages/appearances/${appearanceId}/debrief` : `/pages/appearances/${appearanceId}`;
}

/** `<base>/pages/...?token=…`: signed with purpose "page", bound to the person, the page and the appearance. */
export function pageUrl(signer: LinkSigner, base: string, g: PageGrant): string {
  const token = signer.sign('page', { sub: g.userId, page: g.page, ...(g.appearanceId ? { aid: g.appearanceId } : {}), exp: g.exp });
  return `${base}${pagePath(g.page, g.appearanceId)}?token=${token}`;
}

/**
 * The person a page link was issued to, when it is genuine, unexpired, and for exactly this page and
 * appearance (a link for one appearance never opens another, nor another page). 400 BAD_LINK /
 * LINK_EXPIRED otherwise.
 */
export function verifyPageLink(signer: LinkSigner, token: string, now: number, page: PageName, appearanceId?: string): string {
  const claims = signer.verify('page', token, now);
  if (claims.page !== page || (claims.aid ?? undefined) !== appearanceId) {
    throw new ValidationFailedError('This link was issued for another page', { token: 'for another page' }, 'BAD_LINK');
  }
  return claims.sub;
}
