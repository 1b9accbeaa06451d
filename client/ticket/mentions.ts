import { $ } from '../dom';

interface Person {
  id: string;
  name: string;
}

/**
 * @mentions in notes: typing "@" and a few letters offers teammates; choosing one inserts
 * `@[Name](agent:<id>)`, which the server turns into "@Name" and a notification.
 */
export function initMentions(form: HTMLFormElement, body: HTMLTextAreaElement, active: () => boolean): void {
  const list = $('[data-mention-list]', form);
  let people: Person[] = [];
  try {
    people = JSON.parse(form.dataset.mentions ?? '[]') as Person[];
  } catch {
    people = [];
  }
  if (!list || !people.length) return;
  let matches: Person[] = [];
  let index = 0;

  const query = (): { start: number; text: string } | null => {
    const upto = body.value.slice(0, body.selectionStart);
    const m = /(^|\s)@([^\s@[\]()]{0,30})$/.exec(upto);
    return m ? { start: upto.length - m[2].length - 1, text: m[2].toLowerCase() } : null;
  };
  const close = () => {
    list.hidden = true;
    matches = [];
    body.removeAttribute('aria-activedescendant');
  };
  const render = () => {
    list.replaceChildren(
      ...matches.map((p, i) => {
        const li = document.createElement('li');
        li.id = `mention-${p.id}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === index));
        li.textContent = p.name;
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(p);
        });
        return li;
      }),
    );
    list.hidden = !matches.length;
    list.style.left = `${body.offsetLeft + 8}px`;
    list.style.top = `${body.offsetTop + Math.min(body.clientHeight, 60)}px`;
    if (matches[index]) body.setAttribute('aria-activedescendant', `mention-${matches[index].id}`);
  };
  const choose = (p: Person) => {
    const q = query();
    if (!q) return close();
    const token = `@[${p.name}](agent:${p.id}) `;
    const after = body.value.slice(body.selectionStart);
    body.value = body.value.slice(0, q.start) + token + after;
    const caret = q.start + token.length;
    body.setSelectionRange(caret, caret);
    body.dispatchEvent(new Event('input', { bubbles: true }));
    close();
  };

  body.addEventListener('input', () => {
    const q = active() ? query() : null;
    if (!q) return close();
    matches = rank(people, q.text).slice(0, 8);
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
      choose(matches[index]);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  });
  body.addEventListener('blur', () => setTimeout(close, 100));
}

/** Names whose first word starts with the query first, then any word, then anywhere in the name. */
function rank(people: Person[], query: string): Person[] {
  const score = (p: Person) => {
    const name = p.name.toLowerCase();
    if (name.startsWith(query)) return 0;
    if (name.split(/\s+/).some((w) => w.startsWith(query))) return 1;
    return name.includes(query) ? 2 : 3;
  };
  return people
    .map((p) => ({ p, s: score(p) }))
    .filter((x) => x.s < 3)
    .sort((a, b) => a.s - b.s || a.p.name.localeCompare(b.p.name))
    .map((x) => x.p);
}
