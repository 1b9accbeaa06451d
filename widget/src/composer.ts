import { h } from './dom';
import { t } from './i18n';
import { icons } from './icons';
import type { Locale } from './shared';

const EMOJI = ['😀', '😂', '😊', '😍', '🙏', '👍', '👏', '🎉', '❤️', '🔥', '😢', '😮', '🤔', '👀', '✅', '🙌'];

export interface ComposerEvents {
  send(text: string): void;
  file(file: File): void;
  /** The visitor started (true) or stopped (false) typing; throttled. */
  typing(on: boolean): void;
}

/** The message box: Enter sends, Shift+Enter breaks the line, emoji and file buttons, typing signals. */
export class Composer {
  readonly el: HTMLElement;
  readonly emojis: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly attach: HTMLElement;
  private readonly smile: HTMLElement;
  private sentTyping = 0;
  private idle?: ReturnType<typeof setTimeout>;

  constructor(private readonly on: ComposerEvents) {
    this.input = h('textarea', { rows: 1, enterkeyhint: 'send' }) as HTMLTextAreaElement;
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.changed());
    const file = h('input', {
      type: 'file',
      class: 'hidden',
      accept: 'image/*,application/pdf,text/plain',
    }) as HTMLInputElement;
    file.addEventListener('change', () => {
      if (file.files?.[0]) this.on.file(file.files[0]);
      file.value = '';
    });
    this.emojis = h(
      'div',
      { class: 'emojis hidden', role: 'group' },
      EMOJI.map((e) => h('button', { type: 'button', 'aria-label': e, onclick: () => this.insert(e) }, e)),
    );
    this.sendBtn = h('button', {
      class: 'sendb',
      type: 'button',
      html: icons.send,
      onclick: () => this.submit(),
    }) as HTMLButtonElement;
    this.attach = h('button', { class: 'ib', type: 'button', html: icons.clip, onclick: () => file.click() });
    this.smile = h('button', {
      class: 'ib',
      type: 'button',
      html: icons.smile,
      onclick: () => this.emojis.classList.toggle('hidden'),
    });
    this.el = h('div', { class: 'composer' }, this.input, file, this.attach, this.smile, this.sendBtn);
    this.sendBtn.disabled = true;
  }

  label(locale: Locale): void {
    this.input.placeholder = t(locale, 'placeholder');
    this.input.setAttribute('aria-label', t(locale, 'placeholder'));
    this.sendBtn.setAttribute('aria-label', t(locale, 'send'));
    this.attach.setAttribute('aria-label', t(locale, 'attach'));
    this.smile.setAttribute('aria-label', t(locale, 'emoji'));
  }

  show(visible: boolean): void {
    this.el.classList.toggle('hidden', !visible);
    if (!visible) this.emojis.classList.add('hidden');
  }

  focus(): void {
    this.input.focus();
  }

  stopTyping(): void {
    clearTimeout(this.idle);
    if (!this.sentTyping) return;
    this.sentTyping = 0;
    this.on.typing(false);
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.changed(false);
    this.emojis.classList.add('hidden');
    this.stopTyping();
    this.on.send(text);
  }

  private changed(typed = true): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
    this.sendBtn.disabled = !this.input.value.trim();
    if (!typed || !this.input.value) return;
    const now = Date.now();
    if (now - this.sentTyping > 3000) {
      this.sentTyping = now;
      this.on.typing(true);
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stopTyping(), 3500);
  }

  private insert(emoji: string): void {
    const { selectionStart: s, selectionEnd: e, value } = this.input;
    this.input.value = value.slice(0, s) + emoji + value.slice(e);
    this.input.focus();
    this.input.selectionStart = this.input.selectionEnd = s + emoji.length;
    this.changed();
  }
}
