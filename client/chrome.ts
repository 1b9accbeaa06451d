import { $$, post } from './dom';

/** Theme switch without a reload, menus that close like menus, selects that apply themselves. */
export function initChrome(): void {
  for (const button of $$('[data-theme-toggle]')) {
    button.addEventListener('click', (e) => {
      e.preventDefault();
      const root = document.documentElement;
      const current = root.dataset.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
      const next = current === 'dark' ? 'light' : 'dark';
      root.dataset.theme = next;
      void post('/app/preferences/theme', { theme: next });
    });
  }
  document.addEventListener('click', (e) => {
    for (const menu of $$('details.menu[open]')) {
      if (!menu.contains(e.target as Node)) menu.removeAttribute('open');
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    for (const menu of $$('details.menu[open]')) {
      menu.removeAttribute('open');
      menu.querySelector('summary')?.focus();
    }
  });
  for (const form of $$('form[data-autosubmit]')) {
    form.addEventListener('change', () => (form as HTMLFormElement).requestSubmit());
  }
  // Enter in a menu's input submits that menu's action, not the form's first button
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (e.key !== 'Enter' || target.tagName !== 'INPUT') return;
    const panel = target.closest('.menu__panel--form');
    const button = panel?.querySelector<HTMLButtonElement>('button[type=submit]');
    if (button) {
      e.preventDefault();
      button.click();
    }
  });
  // on phones the views are a row of chips: keep the current one in sight
  document.querySelector('.view[aria-current="page"]')?.scrollIntoView({ block: 'nearest', inline: 'center' });
  const flash = document.querySelector<HTMLElement>('[data-flash="ok"]');
  if (flash) setTimeout(() => flash.remove(), 5000);
}
