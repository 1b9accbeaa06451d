import type { MacroAction } from '../../automation/entities';
import type { UiLocale } from '../../common/i18n/i18n';
import { t } from '../../common/i18n/i18n';
import type { AgentGroup } from '../../identity/entities';
import { TICKET_PRIORITIES, TICKET_TYPES, type TicketField } from '../../tickets/entities';
import type { AgentOption } from '../inbox/bulk-options.service';
import { fieldChoices, fieldValuesOf, one, wordsOf } from './form-values';

type Form = Record<string, unknown>;
const STATUSES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;

/**
 * The macro editor as a plain form (works without script): one control per kind of action,
 * empty meaning "leave alone". Saved in a fixed order: fields first, then the composer text.
 */
export function actionsFromForm(body: Form, fields: TicketField[]): Array<Record<string, unknown>> {
  const actions: Array<Record<string, unknown>> = [];
  const pick = (name: string) => one(body, name, 64);
  if (pick('a_status')) actions.push({ type: 'status', value: pick('a_status') });
  if (pick('a_priority')) actions.push({ type: 'priority', value: pick('a_priority') });
  if (pick('a_type')) actions.push({ type: 'type', value: pick('a_type') === 'none' ? null : pick('a_type') });
  if (pick('a_assignee')) {
    actions.push({ type: 'assignee', value: pick('a_assignee') === 'none' ? null : pick('a_assignee') });
  }
  if (pick('a_group')) actions.push({ type: 'group', value: pick('a_group') === 'none' ? null : pick('a_group') });
  const add = wordsOf(one(body, 'a_add_tags', 1000));
  if (add.length) actions.push({ type: 'add_tags', value: add });
  const remove = wordsOf(one(body, 'a_remove_tags', 1000));
  if (remove.length) actions.push({ type: 'remove_tags', value: remove });
  for (const [key, value] of Object.entries(fieldValuesOf(body, fields))) {
    actions.push({ type: 'custom_field', key, value });
  }
  if (pick('a_follower')) actions.push({ type: 'add_follower', value: pick('a_follower') });
  const text = typeof body.a_text === 'string' ? body.a_text.replace(/\r\n/g, '\n').slice(0, 20_001) : '';
  if (text.trim())
    actions.push({ type: 'insert_text', mode: one(body, 'a_mode') === 'note' ? 'note' : 'reply', value: text });
  return actions;
}

interface Choice {
  value: string;
  label: string;
  selected: boolean;
}

/** The editor's controls, filled from a macro's actions (or empty for a new one). */
export function macroEditor(
  actions: MacroAction[],
  ctx: { locale: UiLocale; fields: TicketField[]; groups: AgentGroup[]; agents: AgentOption[] },
) {
  const of = <T extends MacroAction['type']>(type: T) =>
    actions.find((a): a is Extract<MacroAction, { type: T }> => a.type === type);
  const L = (key: string) => t(ctx.locale, key);
  const choices = (current: string, list: Array<{ value: string; label: string }>): Choice[] =>
    list.map((c) => ({ ...c, selected: c.value === current }));
  const agentList = ctx.agents.filter((a) => !a.isMe).map((a) => ({ value: a.id, label: a.name }));
  const asText = (v: string | null | undefined, unset: string) => (v === undefined ? '' : v === null ? unset : v);
  const type = of('type');
  const assignee = of('assignee');
  const group = of('group');
  const text = of('insert_text');
  const cf = Object.fromEntries(actions.flatMap((a) => (a.type === 'custom_field' ? [[a.key, a.value] as const] : [])));
  return {
    status: choices(
      of('status')?.value ?? '',
      STATUSES.map((s) => ({ value: s, label: L(`status.${s}`) })),
    ),
    priority: choices(
      of('priority')?.value ?? '',
      TICKET_PRIORITIES.map((p) => ({ value: p, label: L(`priority.${p}`) })),
    ),
    type: choices(asText(type?.value, 'none'), [
      { value: 'none', label: L('macros.clearType') },
      ...TICKET_TYPES.map((x) => ({ value: x, label: L(`type.${x}`) })),
    ]),
    assignee: choices(asText(assignee?.value, 'none'), [
      { value: 'current', label: L('macros.currentAgent') },
      { value: 'none', label: L('ticket.unassigned') },
      ...agentList,
    ]),
    group: choices(asText(group?.value, 'none'), [
      { value: 'none', label: L('macros.noGroup') },
      ...ctx.groups.map((g) => ({ value: g.id, label: g.name })),
    ]),
    follower: choices(of('add_follower')?.value ?? '', [
      { value: 'current', label: L('macros.currentAgent') },
      ...agentList,
    ]),
    addTags: (of('add_tags')?.value ?? []).join(', '),
    removeTags: (of('remove_tags')?.value ?? []).join(', '),
    customFields: fieldChoices(ctx.fields, cf, ctx.locale, { yes: L('common.yes'), no: L('common.no') }),
    text: text?.value ?? '',
    noteMode: text?.mode === 'note',
  };
}

/** Short descriptions of what a macro does, for its card and the picker. */
export function macroSummary(
  actions: MacroAction[],
  ctx: { locale: UiLocale; groups: AgentGroup[]; agents: AgentOption[] },
): string[] {
  const L = (key: string) => t(ctx.locale, key);
  const agent = (id: string | null) =>
    id === null
      ? L('ticket.unassigned')
      : id === 'current'
        ? L('macros.currentAgent')
        : (ctx.agents.find((a) => a.id === id)?.name ?? '?');
  return actions.map((a) => {
    switch (a.type) {
      case 'status':
        return `${L('panel.status')}: ${L(`status.${a.value}`)}`;
      case 'priority':
        return `${L('panel.priority')}: ${L(`priority.${a.value}`)}`;
      case 'type':
        return `${L('panel.type')}: ${a.value ? L(`type.${a.value}`) : L('macros.clearType')}`;
      case 'assignee':
        return `${L('panel.assignee')}: ${agent(a.value)}`;
      case 'group':
        return `${L('panel.group')}: ${a.value ? (ctx.groups.find((g) => g.id === a.value)?.name ?? '?') : L('macros.noGroup')}`;
      case 'add_tags':
        return `+ ${a.value.join(', ')}`;
      case 'remove_tags':
        return `− ${a.value.join(', ')}`;
      case 'custom_field':
        return `${a.key}: ${String(a.value)}`;
      case 'add_follower':
        return `${L('macros.follower')}: ${agent(a.value)}`;
      case 'insert_text':
        return a.mode === 'note' ? L('macros.insertsNote') : L('macros.insertsReply');
    }
  });
}
