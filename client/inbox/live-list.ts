import { $, $$, announce, fetchJson, fetchPartial, fragment, str } from '../dom';
import { debounce, subscribe } from '../live';
import { initBulkAfterSwap } from './swap';

interface HeadRow {
  id: string;
  updatedAt: string;
}

const TICKET_EVENTS = `subscription($after: ID) { ticketsUpdated(after: $after) { cursor } }`;
const MESSAGE_EVENTS = `subscription($after: ID) { visibleMessageAdded(after: $after) { cursor } }`;

/**
 * Live inbox: view counts refresh as tickets change anywhere; new or updated tickets in the open
 * view are announced by an "N new" pill instead of moving the list under the agent's eyes.
 */
export function initInboxLive(): void {
  const list = $('[data-live-list]');
  const counts = $$('[data-count]');
  if (!list && !counts.length) return;
  const refresh = debounce(() => void update(list), 400);
  subscribe<{ ticketsUpdated: { cursor: string } }>(TICKET_EVENTS, {}, refresh, (d) => d.ticketsUpdated.cursor);
  subscribe<{ visibleMessageAdded: { cursor: string } }>(
    MESSAGE_EVENTS,
    {},
    refresh,
    (d) => d.visibleMessageAdded.cursor,
  );
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refresh();
  });
  $('[data-new-pill]')?.addEventListener('click', () => void swapList(list));
}

async function update(list: HTMLElement | null): Promise<void> {
  const counts = await fetchJson<Record<string, number>>('/app/inbox/counts');
  if (counts) {
    for (const el of $$('[data-count]')) {
      const n = counts[el.dataset.count ?? ''];
      if (n === undefined) continue;
      const label = n >= 1000 ? '999+' : String(n);
      if (el.textContent !== label) {
        el.textContent = label;
        el.classList.remove('is-bumped');
        void el.offsetWidth;
        el.classList.add('is-bumped');
      }
    }
  }
  if (list) await checkNew(list);
}

/** Counts tickets at the top of the view that are new or changed since the list was shown. */
async function checkNew(list: HTMLElement): Promise<void> {
  const firstPage = !new URLSearchParams(location.search).has('after');
  if (!firstPage) return;
  const sort = list.dataset.sort && list.dataset.sort !== 'updated' ? `?sort=${list.dataset.sort}` : '';
  const head = await fetchJson<HeadRow[]>(`/app/inbox/${list.dataset.view}/head${sort}`);
  if (!head) return;
  const shown = new Map($$('[data-ticket-row]', list).map((r) => [r.dataset.id, r.dataset.updated]));
  const fresh = head.filter((h) => {
    const seen = shown.get(h.id);
    return seen === undefined || new Date(h.updatedAt).getTime() > new Date(seen ?? 0).getTime();
  }).length;
  const pill = $('[data-new-pill]', list);
  const text = $('[data-new-pill-text]', list);
  if (!pill || !text) return;
  pill.hidden = fresh === 0;
  if (fresh) {
    text.textContent = str('newTickets', { count: fresh });
    announce(text.textContent);
  }
}

/** Replaces the list with the current first page, keeping the agent's place at the top. */
async function swapList(list: HTMLElement | null): Promise<void> {
  if (!list) return;
  const body = $('[data-list-body]', list);
  const view = list.dataset.view;
  const sort = list.dataset.sort && list.dataset.sort !== 'updated' ? `?sort=${list.dataset.sort}` : '';
  const current = new URLSearchParams(location.search).get('ticket');
  void current;
  const html = await fetchPartial(`/app/inbox/${view}${sort}`);
  if (!html || !body) return;
  const before = new Set($$('[data-ticket-row]', list).map((r) => `${r.dataset.id}|${r.dataset.updated}`));
  const activeId = $('.trow--current', list)?.dataset.id;
  body.replaceChildren(fragment(html));
  for (const row of $$('[data-ticket-row]', list)) {
    if (!before.has(`${row.dataset.id}|${row.dataset.updated}`)) row.classList.add('is-fresh');
    if (row.dataset.id === activeId) row.classList.add('trow--current');
  }
  const pill = $('[data-new-pill]', list);
  if (pill) pill.hidden = true;
  initBulkAfterSwap(list);
  list.scrollTop = 0;
}
