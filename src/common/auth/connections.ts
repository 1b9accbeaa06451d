import { Injectable } from '@nestjs/common';

/** Bus topic (and event kind) telling that an agent's status or presence changed; the id is the agent id. */
export const AGENT_PRESENCE_TOPIC = 'agent-presence';

export interface AgentConnectionListener {
  connected(agentId: string): void;
  disconnected(agentId: string): void;
}

/**
 * Lets routing know when agents open and close WebSockets without common/ depending on it: the
 * routing context registers its listener at start; without one, connections are not tracked.
 */
@Injectable()
export class AgentConnectionRegistry {
  private listener?: AgentConnectionListener;

  use(listener: AgentConnectionListener): void {
    this.listener = listener;
  }

  connected(agentId: string): void {
    this.listener?.connected(agentId);
  }

  disconnected(agentId: string): void {
    this.listener?.disconnected(agentId);
  }
}
