import { domainToASCII } from 'node:url';
import { ValidationError } from '../common/errors/domain-error';
import type { IdentityKind } from './entities';

const LOCAL_PART = /^[^\s@<>()[\]\\,;:"]{1,64}$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** Dialling codes where a national trunk `0` written after the code (`+82 010…`) is never part of the number. */
const TRUNK_ZERO_DROPPED = ['82', '81', '44', '49', '33', '86', '61', '64', '66', '84', '62', '60', '63', '90'];

/**
 * Normalises an identity value so one person is found whatever way the value was typed:
 * emails lower-cased with international domains in their ASCII (punycode) form, phone
 * numbers reduced to E.164 (`+821012345678`), other ids trimmed.
 */
export function normalizeIdentity(kind: IdentityKind, raw: string): string {
  const value = raw.normalize('NFKC').trim();
  if (!value || value.length > 320)
    throw new ValidationError(`The ${kind} value must be 1 to 320 characters.`, { kind });
  switch (kind) {
    case 'email':
      return normalizeEmail(value, raw);
    case 'phone':
    case 'whatsapp':
    case 'sms':
      return normalizePhone(value, raw, kind);
    case 'external_id':
    case 'visitor':
    case 'messenger':
    case 'instagram':
    case 'telegram':
    case 'line':
      // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
      if (/[\u0000-\u001f\u007f]/.test(value)) {
        throw new ValidationError(`The ${kind} value contains control characters.`, { kind });
      }
      return value;
  }
}

function normalizeEmail(value: string, raw: string): string {
  const email = value.replace(/^mailto:/i, '');
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).toLowerCase();
  const domain = at > 0 ? toAsciiHostname(email.slice(at + 1)) : null;
  if (!domain || !LOCAL_PART.test(local)) {
    throw new ValidationError(`"${raw}" is not a valid email address.`, { kind: 'email' });
  }
  return `${local}@${domain}`;
}

function normalizePhone(value: string, raw: string, kind: IdentityKind): string {
  let digits = value
    .replace(/^tel:/i, '')
    .replace(/\(0\)/g, '')
    .replace(/[\s().\-\u2010-\u2015]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  if (!digits.startsWith('+')) digits = `+${digits}`;
  const code = TRUNK_ZERO_DROPPED.find((c) => digits.startsWith(`+${c}0`));
  if (code) digits = `+${code}${digits.slice(code.length + 2)}`;
  if (!/^\+[1-9]\d{6,14}$/.test(digits)) {
    throw new ValidationError(`"${raw}" is not a valid phone number; use international format like +82 10 1234 5678.`, {
      kind,
    });
  }
  return digits;
}

/**
 * A hostname in lower-case ASCII (international names as punycode), or null when it is not a
 * plausible public domain (needs a dot and a top-level domain of letters).
 */
export function toAsciiHostname(raw: string): string | null {
  const trimmed = raw.normalize('NFKC').trim().replace(/\.$/, '');
  if (!trimmed || trimmed.length > 253 || !/^[\p{L}\p{M}\p{N}.-]+$/u.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  return TLD.test(labels[labels.length - 1]) ? ascii : null;
}

/** An organization's email domain: `@Acme.COM` → `acme.com`; VALIDATION_FAILED when not a hostname. */
export function normalizeDomain(raw: string): string {
  const host = toAsciiHostname(raw.trim().replace(/^@/, ''));
  if (!host) throw new ValidationError(`"${raw}" is not a valid domain name (like example.com).`, { domain: raw });
  return host;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
