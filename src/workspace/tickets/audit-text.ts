import { t, type UiLocale } from '../../common/i18n/i18n';
import type { FieldChange } from '../../tickets/entities';

/** Names the audit sentences need: agents, groups and custom field labels by id or key. */
export interface AuditNames {
  agent(id: string | null | undefined): string | null;
  group(id: string | null | undefined): string | null;
  field(key: string): string;
}

export interface AuditLike {
  action: string;
  actorKind: string;
  actorAgentId: string | null;
  changes: Record<string, unknown>;
}

const asNumber = (v: unknown): string | null => {
  const n: unknown = v && typeof v === 'object' && 'number' in v ? v.number : null;
  return typeof n === 'number' || typeof n === 'string' ? String(n) : null;
};
const asText = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** Who did it, as a reader would say it. */
export function auditActor(e: AuditLike, names: AuditNames, locale: UiLocale): string {
  if (e.actorKind === 'system') return t(locale, 'audit.system');
  if (e.actorKind === 'contact') return t(locale, 'audit.customer');
  return names.agent(e.actorAgentId) ?? t(locale, 'audit.someone');
}

/**
 * An audit event as short sentences in the agent's language ("Sarah changed the status: Open →
 * Pending"). One sentence per changed field; unknown changes fall back to "updated the ticket".
 */
export function auditSentences(e: AuditLike, names: AuditNames, locale: UiLocale): string[] {
  const actor = auditActor(e, names, locale);
  const say = (key: string, vars: Record<string, string | number> = {}) => t(locale, key, { actor, ...vars });
  const label = (prefix: string, v: unknown) =>
    asText(v) ? t(locale, `${prefix}.${asText(v)}`) : t(locale, 'common.none');
  if (e.action === 'created') return [e.actorKind === 'agent' ? say('audit.created') : t(locale, 'audit.createdQuiet')];
  const out: string[] = [];
  for (const [field, change] of Object.entries(e.changes)) {
    const { from, to } = (change ?? {}) as FieldChange;
    switch (field) {
      case 'status':
        out.push(say('audit.status', { from: label('status', from), to: label('status', to) }));
        break;
      case 'priority':
        out.push(say('audit.priority', { from: label('priority', from), to: label('priority', to) }));
        break;
      case 'type':
        out.push(say('audit.type', { to: to ? label('type', to) : t(locale, 'type.none') }));
        break;
      case 'assigneeId':
        out.push(to ? say('audit.assigned', { to: names.agent(to as string) ?? '—' }) : say('audit.unassigned'));
        break;
      case 'groupId':
        out.push(to ? say('audit.group', { to: names.group(to as string) ?? '—' }) : say('audit.groupCleared'));
        break;
      case 'subject':
        out.push(say('audit.subject', { to: asText(to) }));
        break;
      case 'tags':
        out.push(...tagSentences(from, to, say));
        break;
      case 'customFields':
        out.push(say('audit.fields', { fields: changedKeys(from, to).map(names.field).join(', ') }));
        break;
      case 'followers':
        out.push(...followerSentences(from, to, names, say));
        break;
      case 'requesterId':
        out.push(say('audit.requester'));
        break;
      case 'mergedInto':
        out.push(say('audit.mergedInto', { number: asNumber(to) ?? '?' }));
        break;
      case 'mergedTickets': {
        const list = Array.isArray(to) ? to.map((x) => `#${asNumber(x) ?? '?'}`).join(', ') : '';
        out.push(say('audit.merged', { numbers: list }));
        break;
      }
      case 'followUpOf':
        out.push(say('audit.followUpOf', { number: asNumber(to) ?? '?' }));
        break;
      case 'followUp':
        out.push(say('audit.followUp', { number: asNumber(to) ?? '?' }));
        break;
      case 'macro': {
        const name = to && typeof to === 'object' && 'name' in to ? asText(to.name) : '';
        out.push(say('audit.macro', { name }));
        break;
      }
      case 'links':
        out.push(say(e.action === 'unlinked' ? 'audit.unlinked' : 'audit.linked', { number: asNumber(to) ?? '?' }));
        break;
      default:
        break; // mergedIntoId, formId: said by their companions or not worth a line
    }
  }
  return out.length ? out : [say('audit.changed')];
}

function tagSentences(from: unknown, to: unknown, say: (k: string, v: Record<string, string>) => string): string[] {
  const before = new Set(Array.isArray(from) ? (from as string[]) : []);
  const after = new Set(Array.isArray(to) ? (to as string[]) : []);
  const added = [...after].filter((x) => !before.has(x));
  const removed = [...before].filter((x) => !after.has(x));
  const out: string[] = [];
  if (added.length) out.push(say('audit.tagsAdded', { tags: added.join(', ') }));
  if (removed.length) out.push(say('audit.tagsRemoved', { tags: removed.join(', ') }));
  return out;
}

function followerSentences(
  from: unknown,
  to: unknown,
  names: AuditNames,
  say: (k: string, v: Record<string, string>) => string,
): string[] {
  const before = new Set(Array.isArray(from) ? (from as string[]) : []);
  const after = new Set(Array.isArray(to) ? (to as string[]) : []);
  const name = (id: string) => names.agent(id) ?? '—';
  const added = [...after].filter((x) => !before.has(x)).map(name);
  const removed = [...before].filter((x) => !after.has(x)).map(name);
  const out: string[] = [];
  if (added.length) out.push(say('audit.followerAdded', { names: added.join(', ') }));
  if (removed.length) out.push(say('audit.followerRemoved', { names: removed.join(', ') }));
  return out;
}

function changedKeys(from: unknown, to: unknown): string[] {
  const a = (from && typeof from === 'object' ? from : {}) as Record<string, unknown>;
  const b = (to && typeof to === 'object' ? to : {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null),
  );
}

/** Agent ids an event mentions (actor, assignee, followers), to load their names in one query. */
export function agentIdsOf(e: AuditLike): string[] {
  const ids: string[] = [];
  if (e.actorAgentId) ids.push(e.actorAgentId);
  const a = e.changes.assigneeId as FieldChange | undefined;
  for (const v of [a?.from, a?.to]) if (typeof v === 'string') ids.push(v);
  const f = e.changes.followers as FieldChange | undefined;
  for (const v of [f?.from, f?.to]) if (Array.isArray(v)) ids.push(...(v as string[]));
  return ids;
}
