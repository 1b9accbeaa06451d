import { createClient, type Client } from 'graphql-ws';
import { toSignIn } from './dom';

/**
 * One graphql-ws connection per page, authenticated by the session cookie. It reconnects by
 * itself; every subscription resumes from the last cursor it saw, so nothing is missed.
 */
let client: Client | null = null;
/** Set while the page navigates away (a form post, a link): a closing socket then means nothing. */
let leaving = false;
addEventListener('beforeunload', () => (leaving = true));
addEventListener('pagehide', () => (leaving = true));
document.addEventListener('submit', (e) => {
  if (!e.defaultPrevented) leaving = true;
});

function connection(): Client {
  if (!client) {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    client = createClient({
      url,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** Math.min(retries, 5))));
      },
      on: {
        connected: () => (document.documentElement.dataset.live = 'connected'),
        closed: (event) => {
          document.documentElement.dataset.live = 'closed';
          // 4403: the session is gone (signed out, expired or revoked)
          if ((event as CloseEvent).code === 4403 && !leaving) setTimeout(() => !leaving && toSignIn(), 300);
        },
      },
    });
  }
  return client;
}

export interface Subscription {
  stop(): void;
}

/**
 * Subscribes and keeps going across reconnects, resuming from the cursor `cursorOf` returns for
 * the last event (the server replays what was missed).
 */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  cursorOf: (data: T) => string | null,
  startAfter: string | null = null,
): Subscription {
  let after: string | null = startAfter;
  let stopped = false;
  let dispose: (() => void) | null = null;
  const run = () => {
    if (stopped) return;
    dispose = connection().subscribe<T>(
      { query, variables: after === null ? variables : { ...variables, after } },
      {
        next: (result) => {
          if (!result.data) return;
          after = cursorOf(result.data) ?? after;
          onData(result.data);
        },
        error: () => setTimeout(run, 3000),
        complete: () => undefined,
      },
    );
  };
  run();
  return {
    stop() {
      stopped = true;
      dispose?.();
    },
  };
}

/** A query or mutation over HTTP (JSON, session cookie; Apollo's CSRF check accepts JSON bodies). */
export async function gql<T>(query: string, variables: Record<string, unknown>, keepalive = false): Promise<T | null> {
  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    keepalive,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  }).catch(() => null);
  if (!res?.ok) return null;
  const body = (await res.json()) as { data?: T };
  return body.data ?? null;
}

/** Runs `fn` at most once per `ms`, trailing: bursts of events cause one refresh. */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
