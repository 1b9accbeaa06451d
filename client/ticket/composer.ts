import { $, $$, str } from '../dom';
import { initAttachments } from './attachments';
import { initCanned } from './canned';
import { initDraft } from './draft';
import { initMacros } from './macros';
import { initMentions } from './mentions';
import { initPickers } from './pickers';

export interface Composer {
  /** The timeline position the agent has now seen (sent with the message). */
  seen(cursor: string): void;
  /** A teammate replied meanwhile: warn now, and ask again before sending. */
  collision(name: string): void;
  /** Time of the last keystroke, for the "replying" presence. */
  lastTyped(): number;
}

/**
 * The composer: reply/note toggle, Ctrl+Enter, draft autosave, @mentions in notes, attachments,
 * and the collision warning before sending.
 */
export function initComposer(ticketId: string): Composer | null {
  const found = $('form[data-composer]') as HTMLFormElement | null;
  if (!found) return null;
  const form: HTMLFormElement = found;
  const body = $('[data-composer-body]', form) as HTMLTextAreaElement;
  const replyPlaceholder = body.placeholder;
  let typedAt = 0;
  let collidedWith = '';
  let confirmed = false;

  const mode = () =>
    form.querySelector<HTMLInputElement>('input[name=mode]:checked')?.value === 'note' ? 'note' : 'reply';
  const syncMode = () => {
    body.placeholder = mode() === 'note' ? (body.dataset.placeholderNote ?? '') : replyPlaceholder;
  };
  for (const radio of $$('input[name=mode]', form) as HTMLInputElement[]) {
    radio.addEventListener('change', () => {
      syncMode();
      body.focus();
    });
    radio.addEventListener('click', () => body.focus());
  }
  syncMode();
  body.addEventListener('input', () => (typedAt = Date.now()));
  body.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  const draft = initDraft(form, body, ticketId);
  initMentions(form, body, () => mode() === 'note');
  initAttachments(form);
  initPickers(form);
  initMacros(form, body, ticketId);
  initCanned(form, body, ticketId);

  const live = $('[data-collision-live]', form);
  form.addEventListener('submit', (e) => {
    if (collidedWith && !confirmed && mode() === 'reply') {
      e.preventDefault();
      showCollision(true);
      return;
    }
    draft.submitted();
  });

  function showCollision(ask: boolean): void {
    if (!live) return;
    live.hidden = false;
    live.replaceChildren(document.createTextNode(str('collisionLive', { name: collidedWith })));
    if (ask) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn--sm btn--ghost';
      button.textContent = str('sendAnyway');
      button.addEventListener('click', () => {
        confirmed = true;
        form.requestSubmit(form.querySelector<HTMLButtonElement>('[data-send]'));
      });
      live.append(' ', button);
      button.focus();
    }
  }

  return {
    seen(cursor) {
      const input = $('[data-seen]', form) as HTMLInputElement | null;
      if (input && cursor) input.value = cursor;
    },
    collision(name) {
      collidedWith = name || collidedWith;
      confirmed = false;
      showCollision(false);
    },
    lastTyped: () => typedAt,
  };
}
