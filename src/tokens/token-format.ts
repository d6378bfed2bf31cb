import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API tokens look like `fwp_<30 random base62><6 base62 CRC-32 of what precedes>` (personal) or `fws_…` (service):
 * the prefix makes a leaked token recognisable, and the checksum lets a secret scanner tell a real
 * token from a look-alike without asking Forewarn (the scheme GitHub's tokens use). Only the SHA-256
 * of a token is stored; the token itself is shown once, when it is made.
 */
export const TOKEN_PREFIXES = { personal: 'fwp_', service: 'fws_' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIXES;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
/** For scanners: the whole shape of a token. */
export const TOKEN_PATTERN = /^fw[ps]_[0-9A-Za-z]{36}$/;

export function generateToken(kind: TokenKind): string {
  // rejection sampling keeps every character uniform (256 is not a multiple of 62)
  let body = '';
  while (body.length < RANDOM_LENGTH) {
    for (const b of randomBytes(RANDOM_LENGTH)) {
      if (b < 248 && body.length < RANDOM_LENGTH) body += ALPHABET[b % 62];
    }
  }
  return `${TOKEN_PREFIXES[kind]}${body}${checksum(TOKEN_PREFIXES[kind] + body)}`;
}

/** The kind of a well-formed token whose checksum matches, else null (no database needed). */
export function parseToken(token: string): TokenKind | null {
  if (!TOKEN_PATTERN.test(token)) return null;
  if (checksum(token.slice(0, 4 + RANDOM_LENGTH)) !== token.slice(4 + RANDOM_LENGTH)) return null;
  return token.startsWith(TOKEN_PREFIXES.personal) ? 'personal' : 'service';
}

/** Looks like one of ours (prefix), whether or not it is valid: the guard sends these to the token check. */
export const looksLikeApiToken = (token: string): boolean => token.startsWith(TOKEN_PREFIXES.personal) || token.startsWith(TOKEN_PREFIXES.service);

/** What is stored: a token has 178 random bits, so a fast hash is enough (no password stretching). */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The first characters, shown in listings so people can tell their tokens apart. */
export const tokenHint = (token: string): string => `${token.slice(0, 10)}…`;

export function checksum(body: string): string {
  let n = crc32(Buffer.from(body, 'utf8'));
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
