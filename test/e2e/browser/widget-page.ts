import type { INestApplication } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Locator, Page } from 'playwright-core';
import type { WebSocketServer } from 'ws';
import type { TestApp } from '../../helpers/test-app';

/** The widget's panel inside its shadow root (Playwright locators pierce open shadow roots). */
export function panel(page: Page): Locator {
  return page.locator('sori-widget .panel');
}

export function launcher(page: Page): Locator {
  return page.locator('sori-widget .launch');
}

export async function widgetText(page: Page): Promise<string> {
  return panel(page).innerText();
}

export async function visitorToken(page: Page, widgetId: string): Promise<string> {
  return page.evaluate<string>(`localStorage.getItem('sori:${widgetId}:visitor') || ''`);
}

/** The number of the ticket behind the visitor's first conversation on this page. */
export async function ticketNumberOf(app: TestApp, page: Page, widgetId: string): Promise<number> {
  const token = await visitorToken(page, widgetId);
  const r = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sori-visitor': token },
    body: JSON.stringify({ query: '{ widgetSession { conversations { id } } }' }),
  });
  const body = (await r.json()) as { data: { widgetSession: { conversations: Array<{ id: string }> } } };
  const [row] = await app.dataSource.query<Array<{ number: number }>>(
    `SELECT t.number FROM conversation c JOIN ticket t ON t.id = c.ticket_id WHERE c.id = $1`,
    [body.data.widgetSession.conversations[0].id],
  );
  return row.number;
}

/** Opens the widget if needed, starts or continues the conversation and sends a message with the keyboard. */
export async function sendFromWidget(page: Page, text: string, opts: { typeSlowly?: boolean } = {}): Promise<void> {
  const isOpen = (await panel(page).count()) > 0 && (await panel(page).evaluate((el) => el.classList.contains('open')));
  if (!isOpen) {
    await launcher(page).click();
    await panel(page).locator('.head').waitFor();
  }
  const start = panel(page).locator('.home .primary');
  await panel(page).locator('.home .primary, .composer:not(.hidden) textarea').first().waitFor();
  if (await start.isVisible()) await start.click();
  const box = panel(page).locator('textarea');
  await box.waitFor();
  if (opts.typeSlowly) await box.pressSequentially(text, { delay: 30 });
  else await box.fill(text);
  await box.press('Enter');
  await panel(page).locator('.me .bubble', { hasText: text }).last().waitFor();
  await panel(page).locator('.me .bubble.pending').waitFor({ state: 'detached' });
}

/** Terminates every graphql-ws socket of the app, as a network failure would. */
export function killAllWebSockets(app: INestApplication): void {
  const module = app.get<GraphQLModule, { graphQlAdapter?: { _subscriptionService?: { wss?: WebSocketServer } } }>(
    GraphQLModule,
    { strict: false },
  );
  for (const socket of module.graphQlAdapter?._subscriptionService?.wss?.clients ?? []) socket.terminate();
}
