import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** CSS a careless or hostile host page might have: it must not reach into the widget. */
export const HOSTILE_CSS = `
* { all: unset !important; }
html, body { display: block !important; line-height: 48px !important; letter-spacing: 6px !important;
  color: #ff00ff !important; font-size: 28px !important; font-family: "Comic Sans MS", cursive !important;
  text-transform: uppercase !important; word-spacing: 20px !important; }
div, span, button, p, textarea { box-sizing: content-box !important; border: 3px dashed lime !important; }
sori-widget { display: none !important; position: static !important; transform: scale(0.3) !important; }
`;

export interface HostPage {
  url: string;
  close(): Promise<void>;
}

/**
 * A customer's site on its own origin that embeds the snippet (as the settings page shows it),
 * optionally with hostile CSS. `/page2` is a second page of the same site.
 */
export async function startHostPage(snippet: string, opts: { hostileCss?: boolean } = {}): Promise<HostPage> {
  const server: Server = createServer((req, res) => {
    const title = req.url?.startsWith('/page2') ? 'Pricing – Acme' : 'Acme – Home';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{margin:0;font-family:Georgia,serif;background:#eef1f6;color:#1f2937}
main{max-width:860px;margin:0 auto;padding:48px 24px}h1{font-size:40px;margin:0 0 12px}
.hero{background:#fff;border-radius:16px;padding:32px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.row{display:flex;gap:16px;margin-top:24px}.tile{flex:1;height:120px;border-radius:12px;background:#dde3ee}
${opts.hostileCss ? HOSTILE_CSS : ''}</style></head>
<body><main><div class="hero"><h1>Acme Outdoor Co.</h1><p>Tents, packs and everything for the trail.</p>
<div class="row"><div class="tile"></div><div class="tile"></div><div class="tile"></div></div></div></main>
${snippet}
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
