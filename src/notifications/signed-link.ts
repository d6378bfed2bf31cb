import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from '../auth/key-ring';
import { ValidationFailedError } from '../common/errors';

export type LinkPurpose = 'ack' | 'unsubscribe' | 'page';

export interface LinkClaims {
  /** Notification id (ack) or user id (unsubscribe, page). */
  sub: string;
  /** Kind to mute (unsubscribe). */
  kind?: string;
  /** Which page the link opens (page): see page-links.ts. */
  page?: string;
  /** The appearance the page is about (page). */
  aid?: string;
  /** Expiry, epoch ms. */
  exp: number;
  /** Issued at, epoch ms (unsubscribe: a link older than the user's own last change of preferences does nothing). */
  iat?: number;
}

/**
 * Signed, expiring links for mail (acknowledge, one-click unsubscribe): base64url(JSON claims) + "." +
 * HMAC-SHA256(link key, purpose + "." + payload), the link key derived from the master secret apart from the sign-in token key. Purpose is bound into the MAC so an unsubscribe
 * token can never acknowledge a warning and vice versa.
 */
@Injectable()
export class LinkSigner {
  constructor(private readonly keys: KeyRing) {}

  sign(purpose: LinkPurpose, claims: LinkClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.mac(purpose, payload)}`;
  }

  /** The claims, or a 400 saying why the link is no good. */
  verify(purpose: LinkPurpose, token: string, now: number): LinkClaims {
    const [payload, mac, extra] = String(token ?? '').split('.');
    if (!payload || !mac || extra !== undefined) throw new ValidationFailedError('This link is malformed', { token: 'malformed' }, 'BAD_LINK');
    const expected = Buffer.from(this.mac(purpose, payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new ValidationFailedError('This link was not issued by Forewarn or was altered', { token: 'bad signature' }, 'BAD_LINK');
    }
    let claims: LinkClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new ValidationFailedError('This link is malformed', { token: 'malformed' }, 'BAD_LINK');
    }
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
      throw new ValidationFailedError('This link is malformed', { token: 'malformed' }, 'BAD_LINK');
    }
    if (claims.exp < now) throw new ValidationFailedError('This link has expired', { token: 'expired' }, 'LINK_EXPIRED');
    return claims;
  }

  private mac(purpose: LinkPurpose, payload: string): string {
    return createHmac('sha256', this.keys.linkKey).update(`${purpose}.${payload}`).digest('base64url');
  }
}
