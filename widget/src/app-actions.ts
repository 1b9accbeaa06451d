import * as Q from './api';
import type { WidgetApp } from './app';
import { t } from './i18n';
import type { GqlError } from './protocol';
import { ruleMatches } from './state';
import type { PanelActions } from './view-panel';

/** What the panel's buttons and forms do. */
export function panelActions(app: WidgetApp): PanelActions {
  return {
    close: () => app.setOpen(false),
    home: () => {
      app.view = 'home';
      app.render();
    },
    openConversation: (id) => {
      Object.assign(app, { current: id, view: 'conversation', proactive: null, notice: null });
      if (id) app.chats.follow(id);
      app.render();
      setTimeout(() => app.composer.focus(), 30);
    },
    saveEmail: (email) =>
      void app.client.request(Q.UPDATE_VISITOR, { i: { email } }).then(() => {
        if (app.session) app.session.email = email;
        app.render();
      }),
    savePrechat: (values, answers) =>
      void (Object.keys(values).length ? app.client.request(Q.UPDATE_VISITOR, { i: values }) : Promise.resolve()).then(
        () => {
          app.prechatDone = true;
          app.prechatAnswers = answers;
          app.notice = null;
          if (app.session && values.email) app.session.email = values.email;
          app.render();
          app.composer.focus();
        },
      ),
    transcript: (id, email) => {
      const to = email ?? window.prompt(t(app.locale, 'emailLabel')) ?? '';
      if (to) {
        void app.client.request(Q.TRANSCRIPT, { c: id, e: to }).then(() => {
          app.notice = t(app.locale, 'transcriptSent', { email: to });
          app.render();
        });
      }
    },
    endChat: (id) => void app.client.request(Q.END, { c: id }).catch(() => undefined),
  };
}

/** `Sori(name, …args)` calls other than open/close/toggle, once the connection exists. */
export function runCommand(app: WidgetApp, name: string, args: unknown[]): unknown {
  switch (name) {
    case 'setLocale':
      app.host.setLocale(args[0] === 'ko' ? 'ko' : 'en');
      void app.client.request(Q.UPDATE_VISITOR, { i: { locale: app.locale } }).catch(() => undefined);
      return app.render();
    case 'identify':
      return app.client
        .request(Q.IDENTIFY, { jwt: (args[0] as { jwt?: string } | undefined)?.jwt })
        .then(() => app.loadSession(false))
        .then(() => app.host.emit('identified'))
        .catch((err: { errors?: GqlError[] }) => app.host.emit('error', err.errors?.[0] ?? err));
    case 'track':
      return app.client
        .request(Q.TRACK, { i: { name: String(args[0]), properties: args[1] ?? {} } })
        .catch(() => undefined);
    case 'reset':
    case 'logout':
      return app.reset();
    default:
      return undefined;
  }
}

/** Opens the widget with a proactive message when an admin rule matches app page and visitor. */
export function scheduleRules(app: WidgetApp): void {
  const s = app.session;
  const rule = s?.proactiveRules.find(
    (r) => ruleMatches(r, location.href, s.visitCount, s.identified) && !sessionStorage.getItem(`sori:rule:${r.id}`),
  );
  if (!s || !rule) return;
  setTimeout(
    () => {
      if (app.open || s.conversations.length) return;
      sessionStorage.setItem(`sori:rule:${rule.id}`, '1');
      Object.assign(app, { proactive: rule.message, current: null, view: 'conversation' });
      app.setOpen(true);
    },
    (rule.minSecondsOnPage ?? 0) * 1000,
  );
}
