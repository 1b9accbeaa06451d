import { $ } from '../dom';
import { initComposer } from './composer';
import { initPresence } from './presence';
import { initTimelineLive, scrollToLatest, watchPanel } from './timeline';

/** The ticket page: latest messages in view, live timeline and panel, composer, presence. */
export function initTicket(): void {
  const page = $('[data-ticket-page]');
  if (!page) return;
  const ticketId = page.dataset.ticketId ?? '';
  const number = page.dataset.number ?? '';
  rememberPanel(page);
  watchPanel(page);
  if (!new URLSearchParams(location.search).has('before')) {
    scrollToLatest(false);
    void document.fonts.ready.then(() => scrollToLatest(false));
  }
  const composer = initComposer(ticketId);
  initTimelineLive(page, ticketId, number, composer);
  initPresence(ticketId, composer);
}

/** The side panel's open/closed choice survives page loads (per browser). */
function rememberPanel(page: HTMLElement): void {
  const toggle = $('[data-panel-toggle]', page) as HTMLInputElement | null;
  if (!toggle) return;
  const wide = matchMedia('(min-width: 1600px)');
  const key = () => `sori:panel:${wide.matches ? 'wide' : 'narrow'}`;
  // on wide screens the box means "hidden", on narrow ones "shown" (the default differs)
  toggle.checked = wide.matches && localStorage.getItem(key()) === 'hidden';
  toggle.addEventListener('change', () => {
    if (wide.matches) localStorage.setItem(key(), toggle.checked ? 'hidden' : 'shown');
  });
}
