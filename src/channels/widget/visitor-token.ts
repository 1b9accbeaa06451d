import { createHmac } from 'node:crypto';
import { safeEqual } from '../../common/auth/secrets';

/** What a visitor token says: which visitor, and which version of its token (bumped to revoke). */
export interface VisitorTokenClaims {
  visitorId: string;
  version: number;
}

const PREFIX = 'sv1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function signature(secret: string, visitorId: string, version: number): string {
  return createHmac('sha256', secret).update(`visitor:${visitorId}:${version}`).digest('base64url');
}

/**
 * `sv1.<visitor id>.<version>.<HMAC-SHA256 with APP_SECRET>`. Forgeries are refused without a
 * database read; the version lets a token be revoked (the visitor row holds the current one).
 */
export function signVisitorToken(secret: string, claims: VisitorTokenClaims): string {
  return `${PREFIX}.${claims.visitorId}.${claims.version}.${signature(secret, claims.visitorId, claims.version)}`;
}

export function verifyVisitorToken(secret: string, token: unknown): VisitorTokenClaims | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const [prefix, visitorId, rawVersion, sig, ...rest] = token.split('.');
  if (prefix !== PREFIX || rest.length || !UUID.test(visitorId ?? '') || !/^\d{1,9}$/.test(rawVersion ?? '')) {
    return null;
  }
  const version = Number(rawVersion);
  if (!sig || !safeEqual(sig, signature(secret, visitorId, version))) return null;
  return { visitorId: visitorId.toLowerCase(), version };
}
