import { $, $$, announce, clientConfig, fetchPartial, fragment, str } from '../dom';
import { debounce, subscribe } from '../live';
import type { Composer } from './composer';

const MESSAGES = `subscription($ticketId: ID!, $after: ID) {
  messageAdded(ticketId: $ticketId, after: $after) { cursor message { authorKind authorAgentId } }
}`;
const CHANGES = `subscription($ticketId: ID!, $after: ID) {
  ticketUpdated(ticketId: $ticketId, after: $after) { cursor event { actorAgentId } }
}`;

function timelineEl(): HTMLElement | null {
  return $('[data-timeline]');
}

function nearBottom(el: HTMLElement): boolean {
  const scroller = getComputedStyle(el).overflowY === 'auto' ? el : document.scrollingElement;
  if (!scroller) return true;
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 160;
}

export function scrollToLatest(smooth: boolean): void {
  const el = timelineEl();
  if (!el) return;
  const behavior = smooth ? 'smooth' : 'auto';
  // wide screens scroll the timeline pane; phones scroll the whole document
  if (getComputedStyle(el).overflowY === 'auto') el.scrollTo({ top: el.scrollHeight, behavior });
  else window.scrollTo({ top: document.documentElement.scrollHeight, behavior });
}

/**
 * New messages, notes and changes appear without a reload: a subscription event says "something
 * new"; the items themselves come from the server as HTML rendered by the page's own templates.
 */
export function initTimelineLive(page: HTMLElement, ticketId: string, number: string, composer: Composer | null): void {
  const el = timelineEl();
  if (!el) return;
  const me = clientConfig().agentId;
  let pulling = Promise.resolve();
  const pull = () => (pulling = pulling.then(() => append(el, number, composer, me)).catch(() => undefined));
  const pullSoon = debounce(() => void pull(), 150);
  subscribe<{ messageAdded: { cursor: string } }>(
    MESSAGES,
    { ticketId },
    pullSoon,
    (d) => d.messageAdded.cursor,
    page.dataset.messageCursor ?? null,
  );
  subscribe<{ ticketUpdated: { cursor: string; event: { actorAgentId: string | null } } }>(
    CHANGES,
    { ticketId },
    (d) => {
      pullSoon();
      if (d.ticketUpdated.event.actorAgentId !== me) void refreshPanel(page, number);
    },
    (d) => d.ticketUpdated.cursor,
    page.dataset.auditCursor ?? null,
  );
  // notes have no subscription of their own: a quiet read every 20 s brings teammates' notes in
  setInterval(() => document.visibilityState === 'visible' && pullSoon(), 20_000);
  $('[data-older]', el)?.addEventListener('click', (e) => {
    e.preventDefault();
    void prepend(el, number, e.currentTarget as HTMLElement);
  });
}

async function append(el: HTMLElement, number: string, composer: Composer | null, me: string): Promise<void> {
  const after = el.dataset.after;
  const html = await fetchPartial(
    `/app/tickets/${number}/timeline${after ? `?after=${encodeURIComponent(after)}` : ''}`,
  );
  if (!html) return;
  const chunk = fragment(html).querySelector<HTMLElement>('[data-timeline-chunk]');
  if (!chunk) return;
  const list = $('[data-timeline-items]', el);
  const known = new Set($$('[data-key]', el).map((i) => i.dataset.key));
  const stick = nearBottom(el);
  const added: HTMLElement[] = [];
  for (const item of [...chunk.children] as HTMLElement[]) {
    if (known.has(item.dataset.key)) continue;
    item.classList.add('is-fresh');
    list?.append(item);
    added.push(item);
  }
  if (chunk.dataset.last) el.dataset.after = chunk.dataset.last;
  if (!added.length) return;
  composer?.seen(el.dataset.after ?? '');
  const teammateReply = added.find((i) => i.dataset.kind === 'message' && i.dataset.agent && i.dataset.agent !== me);
  if (teammateReply) composer?.collision(teammateReply.querySelector('.msg__author')?.textContent ?? '');
  if (stick) scrollToLatest(true);
  announce(str('newActivity'));
}

async function prepend(el: HTMLElement, number: string, link: HTMLElement): Promise<void> {
  const before = el.dataset.before;
  if (!before) return;
  const html = await fetchPartial(`/app/tickets/${number}/timeline?before=${encodeURIComponent(before)}`);
  const chunk = html ? fragment(html).querySelector<HTMLElement>('[data-timeline-chunk]') : null;
  const list = $('[data-timeline-items]', el);
  if (!chunk || !list) return;
  const height = el.scrollHeight;
  list.prepend(...([...chunk.children] as HTMLElement[]));
  el.scrollTop += el.scrollHeight - height;
  if (chunk.dataset.first) el.dataset.before = chunk.dataset.first;
  if (chunk.dataset.hasOlder !== 'true') link.closest('.timeline__nav')?.remove();
}

/**
 * Someone else changed the ticket (or the agent did, from script: a macro): show the new
 * properties unless the agent is editing them.
 */
export async function refreshPanel(page: HTMLElement, number: string): Promise<void> {
  const form = $('[data-panel-form]', page) as HTMLFormElement | null;
  if (form?.dataset.dirty === '1') {
    const note = $('[data-panel-stale]', page) ?? document.createElement('p');
    note.dataset.panelStale = '';
    note.className = 'alert alert--warn';
    note.setAttribute('role', 'status');
    note.textContent = str('ticketChanged');
    form.prepend(note);
    return;
  }
  const view = page.dataset.view ? `?view=${page.dataset.view}` : '';
  const html = await fetchPartial(`/app/tickets/${number}/panel${view}`);
  const fresh = html ? fragment(html) : null;
  if (!fresh) return;
  for (const sel of ['[data-ticket-head]', '[data-ticket-panel]']) {
    const next = fresh.querySelector(sel);
    const current = $(sel, page);
    if (next && current) current.replaceWith(next);
  }
  for (const input of $$('[data-version]', page) as HTMLInputElement[]) {
    const latest = ($('[data-panel-form] [data-version]', page) as HTMLInputElement | null)?.value;
    if (latest) input.value = latest;
  }
  watchPanel(page);
}

/** Marks the properties form dirty once the agent edits it, so live refreshes leave it alone. */
export function watchPanel(page: HTMLElement): void {
  const form = $('[data-panel-form]', page) as HTMLFormElement | null;
  form?.addEventListener('input', () => (form.dataset.dirty = '1'), { once: true });
  form?.addEventListener('change', () => (form.dataset.dirty = '1'), { once: true });
}
