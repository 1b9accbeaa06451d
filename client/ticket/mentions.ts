import { $ } from '../dom';
import { attachSuggestions } from './suggestions';

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
  attachSuggestions<Person>({
    body,
    list,
    idPrefix: 'mention',
    trigger: /(^|\s)@([^\s@[\]()]{0,30})$/,
    active,
    find: (text) => rank(people, text),
    fill: (li, p) => (li.textContent = p.name),
    choose: (p, q) => {
      const token = `@[${p.name}](agent:${p.id}) `;
      const after = body.value.slice(body.selectionStart);
      body.value = body.value.slice(0, q.start) + token + after;
      const caret = q.start + token.length;
      body.setSelectionRange(caret, caret);
      body.dispatchEvent(new Event('input', { bubbles: true }));
    },
  });
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
