import { ValidationError } from '../common/errors/domain-error';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketPriority,
  type TicketStatus,
  type TicketType,
} from '../tickets/entities';
import { normalizeTags } from '../tickets/ticket-changes';
import type { UpdateTicketData } from '../tickets/tickets.service';
import type { MacroAction, MacroActionType } from './entities';

export const MACRO_ACTION_TYPES: readonly MacroActionType[] = [
  'status',
  'priority',
  'type',
  'assignee',
  'group',
  'add_tags',
  'remove_tags',
  'custom_field',
  'add_follower',
  'insert_text',
];
export const MAX_ACTIONS = 30;
export const MAX_MACRO_TEXT = 20_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SETTABLE_STATUSES: readonly TicketStatus[] = TICKET_STATUSES.filter((s) => s !== 'merged' && s !== 'new');

type Raw = Record<string, unknown>;

function fail(index: number, why: string): never {
  throw new ValidationError(`Macro action ${index + 1}: ${why}.`, { action: index });
}

function tagList(raw: unknown, i: number): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,\s]+/) : null;
  if (!list || list.some((t) => typeof t !== 'string')) fail(i, 'tags must be a list of words');
  const tags = normalizeTags(list as string[]);
  if (!tags.length || tags.length > 20) fail(i, 'give 1 to 20 tags');
  return tags;
}

function agentChoice(raw: unknown, i: number, nullable: boolean): string | null {
  if (raw === null || raw === '' || raw === undefined) {
    if (nullable) return null;
    fail(i, 'pick an agent');
  }
  if (raw === 'current' || (typeof raw === 'string' && UUID.test(raw))) return raw;
  return fail(i, 'the agent must be "current" or an agent id');
}

/** One action from untrusted input (GraphQL JSON or the settings form), normalised. */
export function parseAction(raw: unknown, i: number): MacroAction {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(i, 'must be an object with a type');
  const a = raw as Raw;
  const v = a.value;
  switch (a.type as MacroActionType) {
    case 'status':
      if (!SETTABLE_STATUSES.includes(v as TicketStatus))
        fail(i, `status must be one of ${SETTABLE_STATUSES.join(', ')}`);
      return { type: 'status', value: v as TicketStatus };
    case 'priority':
      if (!TICKET_PRIORITIES.includes(v as TicketPriority)) fail(i, 'unknown priority');
      return { type: 'priority', value: v as TicketPriority };
    case 'type':
      if (v !== null && v !== '' && !TICKET_TYPES.includes(v as TicketType)) fail(i, 'unknown ticket type');
      return { type: 'type', value: v ? (v as TicketType) : null };
    case 'assignee':
      return { type: 'assignee', value: agentChoice(v, i, true) };
    case 'group':
      if (v !== null && v !== '' && !(typeof v === 'string' && UUID.test(v))) fail(i, 'the group must be a group id');
      return { type: 'group', value: v ? v : null };
    case 'add_tags':
    case 'remove_tags':
      return { type: a.type as 'add_tags' | 'remove_tags', value: tagList(v, i) };
    case 'custom_field': {
      if (typeof a.key !== 'string' || !/^[a-z][a-z0-9_]{0,62}$/.test(a.key)) fail(i, 'name a custom field key');
      const ok = v === null || ['string', 'number', 'boolean'].includes(typeof v);
      if (!ok) fail(i, 'a custom field value must be text, a number, true/false or null');
      return { type: 'custom_field', key: a.key, value: v as string | number | boolean | null };
    }
    case 'add_follower':
      return { type: 'add_follower', value: agentChoice(v, i, false) as string };
    case 'insert_text': {
      if (typeof v !== 'string' || !v.trim()) fail(i, 'the text cannot be empty');
      if (v.length > MAX_MACRO_TEXT) fail(i, `the text must be at most ${MAX_MACRO_TEXT} characters`);
      if (v.includes('\u0000')) fail(i, 'the text cannot contain NUL characters');
      return { type: 'insert_text', mode: a.mode === 'note' ? 'note' : 'reply', value: v };
    }
    default:
      return fail(i, `type must be one of ${MACRO_ACTION_TYPES.join(', ')}`);
  }
}

/** A whole action list: at least one, at most MAX_ACTIONS, one text and one value per field. */
export function parseActions(raw: unknown): MacroAction[] {
  if (!Array.isArray(raw) || !raw.length) throw new ValidationError('A macro needs at least one action.');
  if (raw.length > MAX_ACTIONS) throw new ValidationError(`A macro has at most ${MAX_ACTIONS} actions.`);
  const actions = raw.map(parseAction);
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    const key = a.type === 'custom_field' ? `cf:${a.key}` : a.type === 'add_follower' ? `f:${a.value}` : a.type;
    if (a.type !== 'add_tags' && a.type !== 'remove_tags' && seen.has(key)) fail(i, 'this action is already set');
    seen.add(key);
  });
  return actions;
}

export interface MacroPlan {
  update: UpdateTicketData;
  followers: string[];
  text: { mode: 'reply' | 'note'; value: string } | null;
}

/** What applying the actions to a ticket means: one ticket update, followers, composer text. */
export function planMacro(actions: MacroAction[], ticket: { tags: string[] }, agentId: string | null): MacroPlan {
  const update: UpdateTicketData = {};
  const followers: string[] = [];
  let text: MacroPlan['text'] = null;
  let tags = ticket.tags;
  let tagsChanged = false;
  const who = (v: string) => {
    if (v !== 'current') return v;
    if (!agentId) throw new ValidationError('Only an agent can apply a macro that uses "current agent".');
    return agentId;
  };
  for (const a of actions) {
    switch (a.type) {
      case 'status':
        update.status = a.value;
        break;
      case 'priority':
        update.priority = a.value;
        break;
      case 'type':
        update.type = a.value;
        break;
      case 'assignee':
        update.assigneeId = a.value === null ? null : who(a.value);
        break;
      case 'group':
        update.groupId = a.value;
        break;
      case 'add_tags':
        tags = normalizeTags([...tags, ...a.value]);
        tagsChanged = true;
        break;
      case 'remove_tags':
        tags = tags.filter((t) => !a.value.includes(t));
        tagsChanged = true;
        break;
      case 'custom_field':
        update.customFields = { ...update.customFields, [a.key]: a.value };
        break;
      case 'add_follower':
        followers.push(who(a.value));
        break;
      case 'insert_text':
        text = { mode: a.mode, value: a.value };
        break;
    }
  }
  if (tagsChanged) update.tags = tags;
  return { update, followers: [...new Set(followers)], text };
}
