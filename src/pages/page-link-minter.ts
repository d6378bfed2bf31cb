import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PageName, pagePath, pageUrl } from '../notifications/page-links';
import { LinkSigner } from '../notifications/signed-link';
import type { Visitor } from './page-session';

/** A link minted from a page to its sibling (appearance ↔ debrief) lasts this long. */
const SIBLING_LINK_MS = 7 * 86_400_000;

/**
 * Links between pages. A signed-in visitor gets plain paths; a visitor who came by a mail link gets
 * the sibling page's own link for the same person and appearance (never a wider grant).
 */
@Injectable()
export class PageLinkMinter {
  constructor(
    private readonly signer: LinkSigner,
    private readonly clock: Clock,
  ) {}

  forVisitor(visitor: Visitor, page: PageName, appearanceId?: string): string {
    if (visitor.via === 'session') return pagePath(page, appearanceId);
    return pageUrl(this.signer, '', { userId: visitor.user.id, page, appearanceId, exp: this.clock.now() + SIBLING_LINK_MS });
  }

  /** The same page again after a POST, with what was done (the link visitor's own token is kept). */
  back(visitor: Visitor, page: PageName, appearanceId: string | undefined, done: string): string {
    const path = pagePath(page, appearanceId);
    return visitor.token ? `${path}?token=${encodeURIComponent(visitor.token)}&done=${done}` : `${path}?done=${done}`;
  }
}
