import { ValidationError } from '../common/errors/domain-error';
import type { FieldChange, Ticket } from './entities';

/** Ticket columns whose changes are written to the audit trail. */
export const AUDITED: ReadonlyArray<keyof Ticket> = [
  'subject',
  'status',
  'priority',
  'type',
  'assigneeId',
  'groupId',
  'tags',
  'requesterId',
  'customFields',
  'mergedIntoId',
  'formId',
];

export const MAX_TAGS = 50;

/** Normalises tags: trimmed, lower-case, no spaces or commas, unique, at most 50. */
export function normalizeTags(tags: string[]): string[] {
  const out = new Set<string>();
  for (const raw of tags) {
    const tag = raw
      .normalize('NFKC')
      .trim()
      .toLowerCase()
      .replace(/[\s,]+/g, '_');
    if (!tag) continue;
    if (tag.length > 64) throw new ValidationError(`Tag "${tag.slice(0, 20)}…" is longer than 64 characters.`);
    out.add(tag);
  }
  if (out.size > MAX_TAGS) throw new ValidationError(`A ticket can have at most ${MAX_TAGS} tags.`);
  return [...out];
}

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` (jsonb reorders keys) compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** Differences between two ticket states, field by field, for the audit trail. */
export function diffTickets(before: Partial<Ticket>, after: Partial<Ticket>): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const key of AUDITED) {
    if (!sameValue(before[key], after[key])) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}
