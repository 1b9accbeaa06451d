import { ValidationError } from '../common/errors/domain-error';
import type { IdentityKind } from './entities';

const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Normalises an identity value so one person is found whatever way the value was typed:
 * emails lower-cased, phone numbers reduced to E.164 (`+821012345678`).
 */
export function normalizeIdentity(kind: IdentityKind, raw: string): string {
  const value = raw.normalize('NFKC').trim();
  if (!value || value.length > 320) throw new ValidationError(`The ${kind} value must be 1 to 320 characters.`);
  switch (kind) {
    case 'email': {
      const email = value.toLowerCase();
      if (!EMAIL.test(email)) throw new ValidationError(`"${raw}" is not a valid email address.`, { kind });
      return email;
    }
    case 'phone':
    case 'whatsapp':
    case 'sms': {
      const digits = value.replace(/[\s().-]/g, '');
      if (!/^\+?[1-9]\d{6,14}$/.test(digits)) {
        throw new ValidationError(
          `"${raw}" is not a valid phone number; use international format like +82 10 1234 5678.`,
          {
            kind,
          },
        );
      }
      return digits.startsWith('+') ? digits : `+${digits}`;
    }
    case 'external_id':
    case 'visitor':
    case 'messenger':
    case 'instagram':
    case 'telegram':
    case 'line':
      // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
      if (/[\u0000-\u001f]/.test(value)) throw new ValidationError(`The ${kind} value contains control characters.`);
      return value;
  }
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
