import type { PreChatField, Widget } from '../../channels/widget/entities';
import { FIELD_TYPES, MAX_FIELDS, isCustomKey, type PreChatFieldType } from '../../channels/widget/prechat';
import { str } from './admin';

type Form = Record<string, unknown>;

/** Empty rows under the admin's own questions, for adding new ones without script. */
const BLANK_ROWS = 2;
const MAX_ROWS = MAX_FIELDS + 5;

/** A key for a new question from its English label: "Order number" → custom:order_number. */
function slugOf(label: string, taken: Set<string>): string {
  const base =
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 34) || 'field';
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}_${n}`;
  taken.add(slug);
  return `custom:${slug}`;
}

/**
 * The custom questions from the editor's rows `cf_<i>_*`: blank rows and rows marked remove are
 * dropped, the rest sorted by their position field. The service checks what is left.
 */
export function parseCustomFields(body: Form): PreChatField[] {
  const rows: Array<{ order: number; i: number; key: string; field: Omit<PreChatField, 'key'> }> = [];
  for (let i = 0; i < MAX_ROWS; i++) {
    const p = (name: string) => body[`cf_${i}_${name}`];
    if (p('label') === undefined || p('remove') === 'on') continue;
    const key = str(p('key'), 60).trim();
    const labelKo = str(p('labelKo'), 200).trim();
    const label = str(p('label'), 200).trim() || labelKo;
    if (!label && !key) continue;
    const type = str(p('type'), 20) as PreChatFieldType;
    const options = str(p('options'), 5000)
      .split(/\r?\n/)
      .map((o) => o.trim())
      .filter(Boolean);
    const order = Number(str(p('order'), 6));
    rows.push({
      order: Number.isFinite(order) ? order : i,
      i,
      key,
      field: {
        type: (FIELD_TYPES as readonly string[]).includes(type) ? type : 'text',
        label,
        ...(labelKo ? { labelKo } : {}),
        ...(type === 'select' ? { options } : {}),
        required: p('required') === 'on',
      },
    });
  }
  rows.sort((a, b) => a.order - b.order || a.i - b.i);
  const taken = new Set(rows.filter((r) => isCustomKey(r.key)).map((r) => r.key.slice(7)));
  return rows.map((r) => ({ key: isCustomKey(r.key) ? r.key : slugOf(r.field.label, taken), ...r.field }));
}

/** What the editor shows: each custom question as a row, then blank rows to add more. */
export function customFieldRows(w: Widget) {
  const custom = w.preChatFields.filter((f) => isCustomKey(f.key));
  const rows = custom.map((f, i) => ({
    i,
    key: f.key,
    type: f.type ?? 'text',
    label: f.label,
    labelKo: f.labelKo ?? '',
    options: (f.options ?? []).join('\n'),
    required: f.required,
    order: i + 1,
    isNew: false,
  }));
  const blanks = Math.min(BLANK_ROWS, MAX_FIELDS - custom.length);
  for (let n = 0; n < blanks; n++) {
    const i = custom.length + n;
    rows.push({
      i,
      key: '',
      type: 'text',
      label: '',
      labelKo: '',
      options: '',
      required: false,
      order: i + 1,
      isNew: true,
    });
  }
  return rows;
}
