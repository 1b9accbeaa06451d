import { $ } from '../dom';
import { announceError } from './macros';
import { closePicker, gql, insertAt } from './pickers';

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
  let matches: Canned[] = [];
  let index = 0;
  const query = (): { start: number; text: string } | null => {
    const upto = body.value.slice(0, body.selectionStart);
    const m = /(^|\s)[/#]([a-z0-9_-]{0,40})$/i.exec(upto);
    return m ? { start: upto.length - m[2].length - 1, text: m[2].toLowerCase() } : null;
  };
  const close = () => {
    list.hidden = true;
    matches = [];
    body.removeAttribute('aria-activedescendant');
  };
  const render = () => {
    list.replaceChildren(
      ...matches.map((c, i) => {
        const li = document.createElement('li');
        li.id = `canned-${c.id}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === index));
        const code = document.createElement('code');
        code.textContent = `/${c.shortcut}`;
        li.append(code, ` ${c.title}`);
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(c);
        });
        return li;
      }),
    );
    list.hidden = !matches.length;
    // above the text box, so the suggestions never hide what is being typed
    list.style.left = `${body.offsetLeft + 8}px`;
    list.style.top = `${Math.max(0, body.offsetTop - list.offsetHeight - 4)}px`;
    if (matches[index]) body.setAttribute('aria-activedescendant', `canned-${matches[index].id}`);
  };
  const choose = (c: Canned) => {
    const q = query();
    close();
    // the typed "/shortcut" is replaced where it stands
    if (q) void insert(c.id, q.start, body.selectionStart, false);
  };

  body.addEventListener('input', () => {
    const q = query();
    if (!q) return close();
    matches = all
      .filter((c) => c.shortcut.startsWith(q.text) || (q.text.length > 1 && c.title.toLowerCase().includes(q.text)))
      .slice(0, 8);
    index = 0;
    render();
  });
  body.addEventListener('keydown', (e) => {
    if (list.hidden || !matches.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      index = (index + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      render();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      e.stopImmediatePropagation();
      choose(matches[index]);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  });
  body.addEventListener('blur', () => setTimeout(close, 100));
}
