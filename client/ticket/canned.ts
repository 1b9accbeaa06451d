import { $ } from '../dom';
import { announceError } from './macros';
import { closePicker, gql, insertAt } from './pickers';
import { attachSuggestions } from './suggestions';

interface Canned {
  id: string;
  shortcut: string;
  title: string;
}

const RENDER = `query($id: ID!, $t: ID) { renderCannedResponse(id: $id, ticketId: $t) { text } }`;

/**
 * Canned responses: typing "/" or "#" and a few letters offers matching shortcuts (↑/↓, Enter
 * or Tab to insert, Esc to dismiss); the picker inserts at the caret. The server fills the
 * variables for this ticket.
 */
export function initCanned(form: HTMLFormElement, body: HTMLTextAreaElement, ticketId: string): void {
  let all: Canned[] = [];
  try {
    all = JSON.parse(form.dataset.canned ?? '[]') as Canned[];
  } catch {
    all = [];
  }
  const list = $('[data-canned-list]', form);

  const insert = async (id: string, start: number, end: number, paragraph = true) => {
    const r = await gql<{ renderCannedResponse: { text: string } }>(RENDER, { id, t: ticketId });
    const text = r.data?.renderCannedResponse.text;
    if (text === undefined) return announceError(form, r.errors?.[0]?.message ?? '');
    insertAt(body, text, start, end, paragraph);
  };

  form.addEventListener(
    'submit',
    (e) => {
      const button = e.submitter as HTMLButtonElement | null;
      const id = button?.dataset.insertCanned;
      if (!id) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      closePicker(button);
      void insert(id, body.selectionStart, body.selectionEnd);
    },
    true,
  );

  if (!list || !all.length) return;
  attachSuggestions<Canned>({
    body,
    list,
    idPrefix: 'canned',
    trigger: /(^|\s)[/#]([a-z0-9_-]{0,40})$/i,
    above: true,
    find: (text) =>
      all.filter((c) => c.shortcut.startsWith(text) || (text.length > 1 && c.title.toLowerCase().includes(text))),
    fill: (li, c) => {
      const code = document.createElement('code');
      code.textContent = `/${c.shortcut}`;
      li.append(code, ` ${c.title}`);
    },
    // the typed "/shortcut" is replaced where it stands
    choose: (c, q) => void insert(c.id, q.start, body.selectionStart, false),
  });
}
