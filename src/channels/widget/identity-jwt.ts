import { createHmac } from 'node:crypto';
import { safeEqual } from '../../common/auth/secrets';

export interface IdentityClaims {
  externalId: string | null;
  email: string | null;
  name: string | null;
}

export type IdentityJwtResult =
  | { ok: true; claims: IdentityClaims }
  | { ok: false; reason: 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not_yet_valid' | 'no_identity' };

const b64 = (s: string) => Buffer.from(s, 'base64url');

function json(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(b64(part).toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const text = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : typeof v === 'number' ? String(v) : null;

/**
 * Verifies an identity JWT signed by the customer's server with the widget's secret (HS256
 * only: `alg: none` and every other algorithm are refused). `exp` and `nbf` are checked with a
 * minute of clock skew. Claims: `external_id` (or `sub`), `email`, `name`.
 */
export function verifyIdentityJwt(secret: string, jwt: unknown, nowMs = Date.now()): IdentityJwtResult {
  if (typeof jwt !== 'string' || jwt.length > 4096) return { ok: false, reason: 'malformed' };
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, reason: 'malformed' };
  const [head, body, sig] = parts;
  const header = json(head);
  const payload = json(body);
  if (!header || !payload) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'HS256') return { ok: false, reason: 'algorithm' };
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  if (!safeEqual(sig, expected)) return { ok: false, reason: 'signature' };
  const now = nowMs / 1000;
  if (typeof payload.exp === 'number' && payload.exp < now - 60) return { ok: false, reason: 'expired' };
  if (typeof payload.nbf === 'number' && payload.nbf > now + 60) return { ok: false, reason: 'not_yet_valid' };
  const claims: IdentityClaims = {
    externalId: text(payload.external_id ?? payload.sub, 320),
    email: text(payload.email, 320),
    name: text(payload.name, 200),
  };
  if (!claims.externalId && !claims.email) return { ok: false, reason: 'no_identity' };
  return { ok: true, claims };
}

/** For tests and docs: what a customer's server does. */
export function signIdentityJwt(secret: string, payload: Record<string, unknown>): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}
