/**
 * `/widget.js`: draws the launcher in a shadow root and loads the rest (`/widget/app.js`) only
 * when it is needed: on click, for a returning visitor (after the page is idle, so new replies
 * show up), when the site calls the API, or when the widget has proactive rules.
 */
import { detectLocale, tokenKey, type AppApi, type Host, type Locale, type WidgetConfig } from './shared';

type Cmd = [string, unknown[]];
type SoriFn = ((...args: unknown[]) => unknown) & { q?: unknown[][] };
type Win = Window & { Sori?: SoriFn; __soriApp?: (host: Host) => AppApi };

const LABELS = { en: ['Chat with us', 'Open chat', 'Close chat'], ko: ['문의하기', '채팅 열기', '채팅 닫기'] };
const ICON_CHAT =
  '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
const ICON_CLOSE =
  '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"><path d="M18 6 6 18M6 6l12 12"/></svg>';

const CSS = `.sori{all:initial;font-family:"Sori Pretendard",Pretendard,-apple-system,BlinkMacSystemFont,"Segoe UI","Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR",Roboto,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";font-size:15px;line-height:1.45;letter-spacing:normal;color:#111827;-webkit-font-smoothing:antialiased}
.sori *,.sori *::before,.sori *::after{box-sizing:border-box;letter-spacing:inherit;line-height:inherit;font-family:inherit}
.launch{position:fixed;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:10px;height:56px;min-width:56px;padding:0 16px;border:0;border-radius:28px;background:var(--accent);color:var(--on);font:600 15px/1 inherit;cursor:pointer;box-shadow:0 6px 24px rgba(17,24,39,.24),0 2px 6px rgba(17,24,39,.16);transition:transform .15s ease}
.launch.icon{width:56px;padding:0;justify-content:center}
.launch:hover{transform:scale(1.04)}
.launch:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
.right .launch{right:20px}.left .launch{left:20px}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font:700 12px/20px inherit;text-align:center;box-shadow:0 0 0 2px #fff}
.badge[hidden]{display:none}
@media (prefers-reduced-motion:reduce){.launch{transition:none}}`;

((w: Win, d: Document) => {
  const script =
    (d.currentScript as HTMLScriptElement | null) ?? d.querySelector<HTMLScriptElement>('script[data-sori-widget]');
  const widgetId = script?.dataset.soriWidget;
  if (!script || !widgetId || d.querySelector('sori-widget')) return;
  const base = new URL(script.src).origin;
  const handlers: Record<string, Array<(d: unknown) => void>> = {};
  const waiting: Cmd[] = [];
  let app: AppApi | undefined;
  let loading = false;
  let host: Host | undefined;

  const sori: SoriFn = (...args) => {
    const [cmd, ...rest] = args as [string, ...unknown[]];
    if (cmd === 'on' && typeof rest[1] === 'function') {
      (handlers[String(rest[0])] ||= []).push(rest[1] as (d: unknown) => void);
      return;
    }
    if (app) return app.command(cmd, rest);
    if (cmd === 'setLocale' && host) host.setLocale(rest[0] === 'ko' ? 'ko' : 'en');
    waiting.push([cmd, rest]);
    if (cmd !== 'setLocale') load();
  };
  const early = w.Sori?.q ?? [];
  w.Sori = sori;

  const el = d.createElement('sori-widget');
  el.setAttribute(
    'style',
    'all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;' +
      'inset:auto!important;width:0!important;height:0!important;transform:none!important;filter:none!important;contain:none!important',
  );
  const root = el.attachShadow({ mode: 'open' });

  function load(): void {
    if (loading || !host) return;
    loading = true;
    const s = d.createElement('script');
    s.async = true;
    s.src = `${base}/widget/app.js`;
    s.onload = () => {
      if (!w.__soriApp || !host) return;
      app = w.__soriApp(host);
      for (const [cmd, args] of waiting.splice(0)) app.command(cmd, args);
    };
    d.head.appendChild(s);
  }

  void fetch(`${base}/widget/${widgetId}/config`)
    .then((r) => (r.ok ? (r.json() as Promise<WidgetConfig>) : Promise.reject(new Error(String(r.status)))))
    .then((config) => {
      // the settings page's preview draws unsaved appearance settings (see /widget/:id/preview)
      if (script.dataset.soriPreview) Object.assign(config, JSON.parse(script.dataset.soriPreview), { preview: 1 });
      let stored: string | null = null;
      try {
        stored = localStorage.getItem(`sori:locale`);
      } catch {
        /* storage may be blocked */
      }
      let locale: Locale = detectLocale(config.locale, stored);
      const frame = d.createElement('div');
      frame.className = `sori ${config.position}`;
      frame.style.setProperty('--accent', config.color);
      frame.style.setProperty('--on', config.onColor);
      const style = d.createElement('style');
      style.textContent = CSS;
      const button = d.createElement('button');
      button.type = 'button';
      button.className = 'launch';
      const badge = d.createElement('span');
      badge.className = 'badge';
      badge.hidden = true;
      let open = false;
      const draw = () => {
        const [label, openLabel, closeLabel] = LABELS[locale];
        const text = config.launcherText || label;
        button.classList.toggle('icon', open || !config.launcherText);
        button.innerHTML = open
          ? ICON_CLOSE
          : ICON_CHAT + (config.launcherText ? `<span>${escapeHtml(text)}</span>` : '');
        button.setAttribute('aria-label', open ? closeLabel : openLabel);
        button.setAttribute('aria-expanded', String(open));
        button.appendChild(badge);
      };
      button.onclick = () => (app ? app.command('toggle', []) : sori('open'));
      frame.append(button);
      root.append(style, frame);
      d.body.appendChild(el);
      // the font's @font-face must live in the document; its family name is ours alone
      const font = d.createElement('link');
      font.rel = 'stylesheet';
      font.href = `${base}/widget/fonts/pretendard.css`;
      d.head.appendChild(font);
      host = {
        root,
        frame,
        config,
        base,
        locale,
        emit: (event, data) => (handlers[event] || []).forEach((fn) => fn(data)),
        setUnread: (n) => {
          badge.hidden = n < 1;
          badge.textContent = n > 9 ? '9+' : String(n);
        },
        setOpen: (o) => {
          open = o;
          draw();
        },
        setLocale: (l) => {
          locale = l;
          if (host) host.locale = l;
          try {
            localStorage.setItem('sori:locale', l);
          } catch {
            /* ignore */
          }
          draw();
        },
      };
      draw();
      for (const args of early) sori(...args);
      if (waiting.some(([cmd]) => cmd !== 'setLocale')) load();
      let returning = false;
      try {
        returning = !!localStorage.getItem(tokenKey(config.id));
      } catch {
        /* ignore */
      }
      if (returning || config.hasProactiveRules) {
        const idle = (w as Window & { requestIdleCallback?: (fn: () => void) => void }).requestIdleCallback;
        if (idle) idle(load);
        else setTimeout(load, 1);
      }
    })
    .catch(() => undefined);

  function escapeHtml(s: string): string {
    return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  }
})(window, document);
