import type { TestApp } from './test-app';

export interface PageSession {
  cookie: string;
  csrf: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** A form post; `_csrf` is added unless `csrf: false`. */
  post(path: string, form: Record<string, string | string[]>, opts?: { csrf?: boolean }): Promise<Response>;
}

/** Signs in through GraphQL and talks to workspace pages like a browser without script would. */
export async function pageSession(app: TestApp, email: string, password: string): Promise<PageSession> {
  const r = await app.gql<{ login: { csrfToken: string } }>(
    `mutation($i: LoginInput!) { login(input: $i) { csrfToken } }`,
    { i: { email, password } },
  );
  if (r.errors) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = r.data!.login.csrfToken;
  return {
    cookie,
    csrf,
    get: (path, headers = {}) => fetch(`${app.url}${path}`, { headers: { cookie, ...headers }, redirect: 'manual' }),
    post: (path, form, opts = {}) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      if (opts.csrf !== false) body.append('_csrf', csrf);
      return fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
    },
  };
}

/** Every `<form method="post">` of a page, with whether it carries a CSRF field. */
export function postForms(html: string): Array<{ action: string; hasCsrf: boolean }> {
  const forms = html.match(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/g) ?? [];
  return forms.map((f) => ({
    action: /action="([^"]*)"/.exec(f)?.[1] ?? '',
    hasCsrf: /name="_csrf" value="[^"]+"/.test(f),
  }));
}
