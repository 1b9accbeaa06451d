import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { signIdentityJwt } from '../../../src/channels/widget/identity-jwt';
import { factories, type AgentWithCredentials } from '../../factories';
import { launchBrowser } from '../../helpers/browser';
import { startHostPage, type HostPage } from '../../helpers/host-page';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { collect, openWs, type WsSession } from '../../helpers/widget';
import { killAllWebSockets, panel, sendFromWidget, visitorToken, widgetText } from './widget-page';

jest.setTimeout(90_000);

describe('the embedded widget in Chromium', () => {
  let app: TestApp;
  let admin: AgentWithCredentials;
  let browser: Browser;
  let widget: { id: string; secret: string };
  let site: HostPage;
  const sockets: WsSession[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    admin = await factories(app.app).agent({ role: 'admin', name: 'Mina Park' });
    await app.gql(`mutation { setMyStatus(status: online) { id } }`, {}, { token: admin.token });
    const r = await app.gql<{ createWidget: { widget: { id: string; embedSnippet: string }; identitySecret: string } }>(
      `mutation($i: WidgetInput!) { createWidget(input: $i) { widget { id embedSnippet } identitySecret } }`,
      { i: { name: 'Acme Support', color: '#0f766e', greeting: 'Hi there 👋' } },
      { token: admin.token },
    );
    widget = { id: r.data!.createWidget.widget.id, secret: r.data!.createWidget.identitySecret };
    const snippet = r.data!.createWidget.widget.embedSnippet.replace(/http:\/\/localhost:0/g, app.url);
    site = await startHostPage(snippet);
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.client.dispose();
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await app?.stop();
  });

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(site.url);
    return page;
  };
  const agentWs = async () => {
    const s = await openWs(app.url, { token: admin.token });
    sockets.push(s);
    return s;
  };
  const conversationOf = async (page: Page): Promise<string> => {
    const token = await visitorToken(page, widget.id);
    const r = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sori-visitor': token },
      body: JSON.stringify({ query: '{ widgetSession { conversations { id } } }' }),
    });
    const body = (await r.json()) as { data: { widgetSession: { conversations: Array<{ id: string }> } } };
    return body.data.widgetSession.conversations[0].id;
  };
  const reply = (conversationId: string, body: string, content?: unknown) =>
    app.gql(
      `mutation($i: ChatReplyInput!) { chatReply(input: $i) { id } }`,
      { i: { conversationId, body, content } },
      {
        token: admin.token,
      },
    );

  it('visitor writes, the agent gets it live and replies, typing and read receipts travel both ways, history survives a reload', async () => {
    const page = await newPage();
    await sendFromWidget(page, 'Hello! Do you ship to Jeju?');
    const c = await conversationOf(page);
    const agent = await agentWs();
    const live = collect<{ message: { bodyText: string } }>(
      agent.client,
      `subscription($c: ID) { messageAdded(conversationId: $c) { message { bodyText } } }`,
      { c },
    );
    const signals = collect<{ type: string; typing: boolean | null; receipt: string | null }>(
      agent.client,
      `subscription($c: ID!) { conversationSignals(conversationId: $c) { type typing receipt upTo } }`,
      { c },
    );
    await new Promise((r) => setTimeout(r, 200));
    await sendFromWidget(page, 'It is for a tent order', { typeSlowly: true });
    await live.until((items) => items.some((i) => i.message.bodyText === 'It is for a tent order'));
    await signals.until((items) => items.some((i) => i.type === 'TYPING' && i.typing));

    await app.gql(`mutation($c: ID!) { chatTyping(conversationId: $c, typing: true) }`, { c }, { token: admin.token });
    await panel(page).locator('.typing').waitFor();
    await reply(c, 'Yes, we ship to Jeju in 2–3 days.', {
      type: 'quick_replies',
      replies: ['Great, thanks!', 'How much?'],
    });
    await panel(page).getByText('Yes, we ship to Jeju in 2–3 days.').waitFor();
    await signals.until((items) => items.some((i) => i.type === 'RECEIPT' && i.receipt === 'read'));

    const lastVisitorMessageId = (
      await app.gql<{ conversation: { messages: { edges: Array<{ node: { id: string; authorKind: string } }> } } }>(
        `query($c: ID!) { conversation(id: $c) { messages(last: 10) { edges { node { id authorKind } } } } }`,
        { c },
        { token: admin.token },
      )
    )
      .data!.conversation.messages.edges.filter((e) => e.node.authorKind === 'contact')
      .pop()!.node.id;
    await app.gql(
      `mutation($c: ID!, $u: ID!) { markChatRead(conversationId: $c, upTo: $u) }`,
      { c, u: lastVisitorMessageId },
      { token: admin.token },
    );
    await panel(page).locator('.me .tick.read').first().waitFor();

    await panel(page).getByRole('button', { name: 'Great, thanks!' }).click();
    await live.until((items) => items.some((i) => i.message.bodyText === 'Great, thanks!'));

    await page.reload();
    await page.evaluate(`window.Sori('open')`);
    await panel(page).getByText('Your conversations').waitFor();
    await panel(page).locator('.conv').first().click();
    await panel(page).getByText('Hello! Do you ship to Jeju?').waitFor();
    expect(await widgetText(page)).toContain('Yes, we ship to Jeju in 2–3 days.');
  });

  it('resumes after every WebSocket is killed mid-stream: no gap, no duplicate', async () => {
    const page = await newPage();
    await sendFromWidget(page, 'Stream test');
    const c = await conversationOf(page);
    const sending = (async () => {
      for (let i = 1; i <= 12; i++) {
        await reply(c, `Update ${i}`);
        if (i === 4 || i === 8) killAllWebSockets(app.app);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    await sending;
    await panel(page).getByText('Update 12', { exact: true }).waitFor({ timeout: 20_000 });
    const bubbles = await panel(page).locator('.them .bubble').allInnerTexts();
    const updates = bubbles.filter((b) => b.startsWith('Update '));
    expect(updates).toEqual(Array.from({ length: 12 }, (_, i) => `Update ${i + 1}`));
  });

  it('identify with a valid JWT attaches the visitor; a forged one is refused', async () => {
    const page = await newPage();
    const jwt = signIdentityJwt(widget.secret, {
      external_id: 'acme-7',
      email: 'hana@example.com',
      name: 'Hana',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const forged = signIdentityJwt('wrong', { external_id: 'acme-7', exp: Math.floor(Date.now() / 1000) + 600 });
    const outcome = await page.evaluate(
      ({ good, bad }) =>
        new Promise<string[]>((resolve) => {
          const w = (globalThis as unknown as { window: { Sori: (...a: unknown[]) => void } }).window;
          const seen: string[] = [];
          w.Sori('on', 'error', (e: { extensions?: { code?: string } }) => {
            seen.push(`error:${e.extensions?.code}`);
            if (seen.length === 2) resolve(seen);
          });
          w.Sori('on', 'identified', () => {
            seen.push('identified');
            if (seen.length === 1) w.Sori('identify', { jwt: bad });
            if (seen.length === 2) resolve(seen);
          });
          w.Sori('identify', { jwt: good });
        }),
      { good: jwt, bad: forged },
    );
    expect(outcome).toEqual(['identified', 'error:IDENTITY_TOKEN_INVALID']);
    const contacts = await app.gql<{ contacts: { edges: Array<{ node: { name: string } }> } }>(
      `{ contacts(search: "acme-7") { edges { node { name } } } }`,
      {},
      { token: admin.token },
    );
    expect(contacts.data!.contacts.edges.map((e) => e.node.name)).toEqual(['Hana']);
  });

  it('a blocked visitor’s messages are refused silently', async () => {
    const page = await newPage();
    await sendFromWidget(page, 'First message');
    const c = await conversationOf(page);
    const token = await visitorToken(page, widget.id);
    const visitorId = token.split('.')[1];
    await app.gql(
      `mutation($i: BlockVisitorInput!) { blockVisitor(input: $i) { id } }`,
      { i: { kind: 'visitor', value: visitorId } },
      { token: admin.token },
    );
    await sendFromWidget(page, 'Buy cheap watches');
    await panel(page).getByText('Buy cheap watches').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    const r = await app.gql<{ conversation: { messages: { edges: Array<{ node: { bodyText: string } }> } } }>(
      `query($c: ID!) { conversation(id: $c) { messages { edges { node { bodyText } } } } }`,
      { c },
      { token: admin.token },
    );
    expect(r.data!.conversation.messages.edges.map((e) => e.node.bodyText)).toEqual(['First message']);
    expect(await widgetText(page)).not.toMatch(/block/i);
  });
});

export type { Frame };
