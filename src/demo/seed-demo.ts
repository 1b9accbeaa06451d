import type { INestApplication } from '@nestjs/common';

/** Loads the demo workspace (agents, contacts, tickets, conversations). Filled in with the domain. */
export async function seedDemo(app: INestApplication): Promise<void> {
  void app;
}
