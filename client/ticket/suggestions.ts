/** What the agent typed before the caret that a suggestion list completes. */
export interface TypedQuery {
  /** Where the trigger character ("@", "/", "#") stands. */
  start: number;
  /** The letters after it, lower-case. */
  text: string;
}

interface SuggestionOptions<T extends { id: string }> {
  body: HTMLTextAreaElement;
  list: HTMLElement;
  /** Prefix of the options' ids (the text box's aria-activedescendant points at them). */
  idPrefix: string;
  /** Matches the end of the text before the caret; group 2 is the text typed after the trigger. */
  trigger: RegExp;
  /** The items offered for the typed text (at most 8 are shown). */
  find(text: string): T[];
  fill(li: HTMLLIElement, item: T): void;
  choose(item: T, query: TypedQuery): void;
  /** Shown above the text box (never hiding what is typed) instead of over its first lines. */
  above?: boolean;
  /** When false, typing offers nothing (e.g. mentions outside note mode). */
  active?: () => boolean;
}

/**
 * A listbox of completions under (or above) the composer's text box, driven by what is typed
 * before the caret: ↑/↓ move, Enter or Tab choose, Esc dismisses, a click chooses; it closes on
 * blur. Used by @mentions and canned-response shortcuts.
 */
export function attachSuggestions<T extends { id: string }>(o: SuggestionOptions<T>): void {
  const { body, list } = o;
  let matches: T[] = [];
  let index = 0;

  const query = (): TypedQuery | null => {
    const upto = body.value.slice(0, body.selectionStart);
    const m = o.trigger.exec(upto);
    return m ? { start: upto.length - m[2].length - 1, text: m[2].toLowerCase() } : null;
  };
  const close = () => {
    list.hidden = true;
    matches = [];
    body.removeAttribute('aria-activedescendant');
  };
  const choose = (item: T) => {
    const q = query();
    close();
    if (q) o.choose(item, q);
  };
  const render = () => {
    list.replaceChildren(
      ...matches.map((item, i) => {
        const li = document.createElement('li');
        li.id = `${o.idPrefix}-${item.id}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === index));
        o.fill(li, item);
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(item);
        });
        return li;
      }),
    );
    list.hidden = !matches.length;
    list.style.left = `${body.offsetLeft + 8}px`;
    list.style.top = o.above
      ? `${Math.max(0, body.offsetTop - list.offsetHeight - 4)}px`
      : `${body.offsetTop + Math.min(body.clientHeight, 60)}px`;
    if (matches[index]) body.setAttribute('aria-activedescendant', `${o.idPrefix}-${matches[index].id}`);
  };

  body.addEventListener('input', () => {
    const q = (o.active?.() ?? true) ? query() : null;
    if (!q) return close();
    matches = o.find(q.text).slice(0, 8);
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
