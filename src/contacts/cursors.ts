import { ValidationError } from '../common/errors/domain-error';
import { decodeCursor, isTimestampText } from '../common/graphql/pagination';
import type { ContactCursor } from './contacts.repository';
import type { OrganizationCursor } from './organizations.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(cursor: string): never {
  throw new ValidationError('The cursor is not valid. Use a cursor returned by this query.', { cursor });
}

/** Decodes an `after` cursor of the contact list; VALIDATION_FAILED for anything this list did not make. */
export function contactCursor(after: string | null | undefined): ContactCursor | null {
  if (!after) return null;
  const [ts, id] = decodeCursor(after, 2);
  if (!isTimestampText(ts) || typeof id !== 'string' || !UUID.test(id)) invalid(after);
  return [ts, id];
}

export function organizationCursor(after: string | null | undefined): OrganizationCursor | null {
  if (!after) return null;
  const [name, id] = decodeCursor(after, 2);
  // PostgreSQL text cannot hold U+0000
  if (
    typeof name !== 'string' ||
    name.length > 200 ||
    name.includes('\u0000') ||
    typeof id !== 'string' ||
    !UUID.test(id)
  ) {
    invalid(after);
  }
  return [name, id];
}

/** Page size: 20 unless given, 1 to 100. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw new ValidationError('first must be 1 to 100.');
  return size;
}
