import { $, $$, isTyping } from './dom';

/**
 * Keyboard shortcuts (Gmail/Zendesk style). Keys act on what the page offers: j/k move through the
 * ticket list (or to the next ticket from a ticket page), r/n open the composer, a assigns to me,
 * s focuses the status, ? shows the sheet. Nothing fires while typing in a field.
 */
export function initShortcuts(): void {
  const sheet = document.getElementById('shortcuts') as HTMLDialogElement | null;
  for (const opener of $$('[data-shortcuts-open]')) opener.addEventListener('click', () => openSheet(sheet));
  for (const closer of $$('[data-dialog-close]')) {
    closer.addEventListener('click', () => closer.closest<HTMLDialogElement>('dialog')?.close());
  }
  let pendingG = false;
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
    if (isTyping(e.target)) {
      if (e.key === 'Escape') (e.target as HTMLElement).blur();
      return;
    }
    if (pendingG) {
      pendingG = false;
      if (e.key === 'i') location.assign('/app');
      return;
    }
    const handled = handle(e.key, sheet);
    if (e.key === 'g') pendingG = true;
    if (handled) e.preventDefault();
  });
}

function openSheet(sheet: HTMLDialogElement | null): void {
  if (sheet && !sheet.open) sheet.showModal();
}

function rows(): HTMLElement[] {
  return $$('[data-ticket-row]');
}

function cursorIndex(list: HTMLElement[]): number {
  const i = list.findIndex((r) => r.classList.contains('is-cursor'));
  return i >= 0 ? i : list.findIndex((r) => r.classList.contains('trow--current'));
}

function move(delta: number): boolean {
  const list = rows();
  if (!list.length) return false;
  const onTicketPage = !!$('[data-ticket-page]');
  const from = cursorIndex(list);
  const next = Math.max(0, Math.min(list.length - 1, from < 0 ? 0 : from + delta));
  if (onTicketPage && from >= 0 && next !== from) {
    list[next].querySelector<HTMLAnchorElement>('a.trow__link')?.click();
    return true;
  }
  for (const r of list) r.classList.remove('is-cursor');
  list[next].classList.add('is-cursor');
  list[next].querySelector<HTMLElement>('a.trow__link')?.focus({ preventScroll: false });
  list[next].scrollIntoView({ block: 'nearest' });
  return true;
}

function click(selector: string): boolean {
  const el = $(selector);
  if (!el) return false;
  el.click();
  return true;
}

function handle(key: string, sheet: HTMLDialogElement | null): boolean {
  switch (key) {
    case 'j':
      return move(1);
    case 'k':
      return move(-1);
    case 'o':
    case 'Enter': {
      const row = rows().find((r) => r.classList.contains('is-cursor'));
      const link = row?.querySelector<HTMLAnchorElement>('a.trow__link');
      if (link && document.activeElement !== link) link.click();
      return !!link && document.activeElement !== link;
    }
    case 'x': {
      const row = rows().find((r) => r.classList.contains('is-cursor'));
      const box = row?.querySelector<HTMLInputElement>('[data-select]');
      if (!box) return false;
      box.click();
      return true;
    }
    case 'r':
      return click('[data-compose="reply"]');
    case 'n':
      return click('[data-compose="note"]');
    case 'a':
      return click('[data-assign-me]');
    case 'm': {
      const opened = click('[data-picker="macro"] > summary');
      // focus the search now, not on the (later) toggle event: keys typed right after "m" go there
      ($('[data-picker="macro"] [data-picker-search]') as HTMLInputElement | null)?.focus();
      return opened;
    }
    case 's': {
      const status = $('#panel-status') as HTMLSelectElement | null;
      status?.focus();
      return !!status;
    }
    case '/': {
      const search = $('[data-search-input]') as HTMLInputElement | null;
      if (search) search.focus();
      else location.assign('/app/search');
      return true;
    }
    case '?':
      openSheet(sheet);
      return true;
    default:
      return false;
  }
}
