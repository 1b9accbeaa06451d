import { factories, type AgentWithCredentials } from '../factories';
import { pageSession } from '../helpers/page-session';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { clientId, createWidget, newVisitor, openWs, SEND, type WsSession } from '../helpers/widget';

/** The ticket page's side panel shows what a widget visitor did on the website; other requesters show none. */
describe('workspace: visitor context on the ticket page', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let widgetId: string;
  const sockets: WsSession[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin', name: 'Mina Park' });
    widgetId = (await createWidget(app, admin.token)).id;
  });
  afterAll(async () => {
    for (const s of sockets.splice(0)) await s.client.dispose();
    await app.stop();
  });

  it('lists pages newest first with "n more", current page, referrer, device, locale, visits and events, escaped', async () => {
    const v = await newVisitor(app, widgetId, { locale: 'ko', timezone: 'Asia/Seoul' });
    const visitor = await openWs(app.url, { visitorToken: v.token });
    sockets.push(visitor);
    const pages = [
      { url: 'https://shop.example/', title: 'Home', referrer: 'https://search.example/?q=sori' },
      ...[1, 2, 3, 4, 5].map((n) => ({ url: `https://shop.example/p/${n}`, title: `Product ${n}` })),
      { url: 'https://shop.example/checkout', title: '<img src=x onerror=alert(1)> Checkout' },
    ];
    for (const input of pages) {
      const r = await visitor.run<{ widgetTrackPage: boolean }>(
        `mutation($i: WidgetPageViewInput!) { widgetTrackPage(input: $i) }`,
        { i: input },
      );
      expect(r.widgetTrackPage).toBe(true);
    }
    await visitor.run(`mutation($i: WidgetTrackInput!) { widgetTrack(input: $i) }`, {
      i: { name: 'cart:added', properties: { sku: 'A-1' } },
    });
    const sent = await visitor.run<{ widgetSendMessage: { conversationId: string } }>(SEND, {
      i: { body: 'Where is my order?', clientId: clientId() },
    });
    const conv = await app.gql<{ conversation: { ticketId: string } }>(
      `query($id: ID!) { conversation(id: $id) { ticketId } }`,
      { id: sent.widgetSendMessage.conversationId },
      { token: admin.token },
    );
    expect(conv.errors).toBeUndefined();
    const t = await app.gql<{ ticket: { number: number } }>(
      `query($id: ID!) { ticket(id: $id) { number } }`,
      { id: conv.data!.conversation.ticketId },
      { token: admin.token },
    );

    const s = await pageSession(app, admin.agent.email, admin.password);
    const html = await (await s.get(`/app/tickets/${t.data!.ticket.number}`)).text();
    const panel = section(html);
    expect(panel).toContain('On your website');
    expect(panel).toContain('Current page');
    expect(panel).toContain('href="https://shop.example/checkout"');
    expect(panel).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; Checkout');
    expect(html).not.toContain('<img src=x onerror');
    expect(panel).toContain('https://search.example/?q&#x3D;sori');
    expect(panel).toMatch(/data-visitor-device>Safari[^<]* · iOS 17 · mobile</);
    expect(panel).toContain('ko · Asia/Seoul');
    expect(panel).toContain('cart:added');
    // newest first, five shown, the rest counted
    const titles = [...panel.matchAll(/<li><a href="([^"]+)"/g)].map((m) => m[1]);
    expect(titles).toEqual([
      'https://shop.example/checkout',
      'https://shop.example/p/5',
      'https://shop.example/p/4',
      'https://shop.example/p/3',
      'https://shop.example/p/2',
    ]);
    expect(panel).toContain('2 more');

    // the chat panel shows the same context from the same partial
    const chat = await (await s.get(`/app/chats?c=${sent.widgetSendMessage.conversationId}`)).text();
    expect(chat).toContain('data-pages-viewed');
    expect(chat).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; Checkout');
    expect(chat).not.toContain('<img src=x onerror');
  });

  it('shows no visitor section for a requester who never used the widget', async () => {
    const ticket = await factories(app.app).ticket({ subject: 'By email only' });
    const s = await pageSession(app, admin.agent.email, admin.password);
    const html = await (await s.get(`/app/tickets/${ticket.number}`)).text();
    expect(html).toContain('By email only');
    expect(html).not.toContain('data-visitor-context');
  });
});

function section(html: string): string {
  const start = html.indexOf('data-visitor-context');
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</section>', start));
}
