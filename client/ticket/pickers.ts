import { $, $$ } from '../dom';

/**
 * The composer's pickers (macros, canned responses): a menu with a search box and a list of
 * buttons. Opening focuses the search; typing filters; ↑/↓ move between the matches; Enter
 * picks; Esc closes and returns to the button that opened it.
 */
export function initPickers(form: HTMLFormElement): void {
  for (const picker of $$('details[data-picker]', form) as HTMLDetailsElement[]) initPicker(picker);
}

function initPicker(picker: HTMLDetailsElement): void {
  const search = $('[data-picker-search]', picker) as HTMLInputElement | null;
  const summary = picker.querySelector('summary');
  const empty = $('[data-picker-empty]', picker);
  const visible = () =>
    $$('[data-picker-row]', picker)
      .filter((r) => !r.hidden)
      .map((r) => r.querySelector('button')!);

  picker.addEventListener('toggle', () => {
    if (!picker.open) return;
    if (search) {
      search.value = '';
      filter('');
      search.focus();
    } else visible()[0]?.focus();
  });
  const filter = (q: string) => {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of $$('[data-picker-row]', picker)) {
      const label = (row.dataset.label ?? '').toLowerCase();
      row.hidden = !words.every((w) => label.includes(w));
      if (!row.hidden) shown++;
    }
    if (empty) empty.hidden = shown > 0;
  };
  search?.addEventListener('input', () => filter(search.value));
  picker.addEventListener('keydown', (e) => {
    const items = visible();
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? at + 1 : at - 1;
      if (next < 0) search?.focus();
      else items[Math.min(next, items.length - 1)]?.focus();
    } else if (e.key === 'Enter' && document.activeElement === search) {
      e.preventDefault();
      items[0]?.click();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      picker.open = false;
      summary?.focus();
    }
  });
}

/** Closes a picker after it was used, without moving focus back to its button. */
export function closePicker(el: Element | null): void {
  const picker = el?.closest('details[data-picker]') as HTMLDetailsElement | null;
  if (picker) picker.open = false;
}

/**
 * Inserts text at the caret (replacing a selection or the range given) and keeps the caret after
 * it. `paragraph`: the text starts on its own paragraph when something is written before it.
 */
export function insertAt(
  body: HTMLTextAreaElement,
  text: string,
  start = body.selectionStart,
  end = body.selectionEnd,
  paragraph = true,
): void {
  const before = body.value.slice(0, start);
  let gap = '';
  if (before.trim() && paragraph) gap = before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  else if (before && !/\s$/.test(before)) gap = ' ';
  body.setRangeText(gap + text, start, end, 'end');
  body.focus();
  body.dispatchEvent(new Event('input', { bubbles: true }));
}

export interface GqlResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** A GraphQL request with the session cookie (JSON, so Apollo's CSRF prevention lets it through). */
export async function gql<T>(query: string, variables: Record<string, unknown>): Promise<GqlResponse<T>> {
  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResponse<T>;
}
