import { $, clientConfig, str } from '../dom';
import { gql, subscribe } from '../live';
import type { Composer } from './composer';

const BEAT = `mutation($ticketId: ID!, $state: TicketPresenceState!) {
  updateTicketPresence(ticketId: $ticketId, state: $state) { ticketId }
}`;
const WATCH = `subscription($ticketId: ID!) { ticketPresence(ticketId: $ticketId) { viewers { agentId name state } } }`;

interface Viewer {
  agentId: string;
  name: string;
  state: 'viewing' | 'replying';
}

/** Shows who else has the ticket open or is replying, and tells them about us (heartbeats). */
export function initPresence(ticketId: string, composer: Composer | null): void {
  const me = clientConfig().agentId;
  let state: 'viewing' | 'replying' = 'viewing';
  const beat = (s: 'viewing' | 'replying' | 'left', keepalive = false) =>
    void gql(BEAT, { ticketId, state: s }, keepalive);
  beat('viewing');
  setInterval(() => beat(state), 20_000);
  setInterval(() => {
    const next = composer && Date.now() - composer.lastTyped() < 12_000 ? 'replying' : 'viewing';
    if (next !== state) beat((state = next));
  }, 2_000);
  addEventListener('pagehide', () => beat('left', true));
  subscribe<{ ticketPresence: { viewers: Viewer[] } }>(
    WATCH,
    { ticketId },
    (d) => render(d.ticketPresence.viewers.filter((v) => v.agentId !== me)),
    () => null,
  );
}

function render(others: Viewer[]): void {
  const box = $('[data-presence]');
  if (!box) return;
  box.hidden = !others.length;
  box.replaceChildren(
    ...others.map((v) => {
      const chip = document.createElement('span');
      chip.className = `presence__who presence__who--${v.state}`;
      chip.dataset.presenceAgent = v.agentId;
      const dot = document.createElement('span');
      dot.className = 'avatar avatar--xs';
      dot.setAttribute('aria-hidden', 'true');
      dot.textContent = v.name.slice(0, 1);
      chip.append(dot, str(v.state === 'replying' ? 'replying' : 'viewing', { name: v.name }));
      return chip;
    }),
  );
}
