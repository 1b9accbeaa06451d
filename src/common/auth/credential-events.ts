import type { BusEvent, RealtimeBus } from '../pubsub/realtime-bus';
import type { Actor } from './actor';

/** Every credential event also goes to this topic (the credential cache listens to all of them). */
export const CREDENTIALS_TOPIC = 'credentials';

/**
 * Bus events that end credentials. Open WebSockets authenticated at connect time listen for them,
 * so a socket never outlives the session or token it was opened with, in any process.
 */
export const credentialEvents = {
  agentDeactivated: (agentId: string): BusEvent => ({
    kind: 'agent_deactivated',
    id: agentId,
    topics: [`agent:${agentId}`, CREDENTIALS_TOPIC],
  }),
  /** Every session of the agent (password reset); API tokens stay valid. */
  sessionsRevoked: (agentId: string): BusEvent => ({
    kind: 'sessions_revoked',
    id: agentId,
    topics: [`agent:${agentId}`, CREDENTIALS_TOPIC],
  }),
  sessionRevoked: (sessionId: string): BusEvent => ({
    kind: 'session_revoked',
    id: sessionId,
    topics: [`session:${sessionId}`, CREDENTIALS_TOPIC],
  }),
  tokenRevoked: (tokenId: string): BusEvent => ({
    kind: 'token_revoked',
    id: tokenId,
    topics: [`token:${tokenId}`, CREDENTIALS_TOPIC],
  }),
  /**
   * The agent's role, ticket access or groups changed. A socket checks access with the rights it
   * connected with, so it is closed: the client reconnects (and resumes) with the new rights.
   */
  rightsChanged: (agentId: string): BusEvent => ({
    kind: 'agent_rights_changed',
    id: agentId,
    topics: [`agent:${agentId}`, CREDENTIALS_TOPIC],
  }),
};

/**
 * Calls `onRevoked` once the credential behind `actor` stops working, or once the rights it
 * carries changed; returns the unsubscribe function.
 */
export function onCredentialRevoked(bus: RealtimeBus, actor: Actor, onRevoked: (reason: string) => void): () => void {
  const stops: Array<() => void> = [];
  if (actor.agentId) {
    stops.push(
      bus.on(`agent:${actor.agentId}`, (e) => {
        if (e.kind === 'agent_deactivated') onRevoked('Account deactivated');
        if (e.kind === 'sessions_revoked' && actor.via === 'session') onRevoked('Signed out');
        if (e.kind === 'agent_rights_changed') onRevoked('Permissions changed');
      }),
    );
  }
  if (actor.sessionId) {
    stops.push(bus.on(`session:${actor.sessionId}`, (e) => e.kind === 'session_revoked' && onRevoked('Signed out')));
  }
  if (actor.tokenId) {
    stops.push(bus.on(`token:${actor.tokenId}`, (e) => e.kind === 'token_revoked' && onRevoked('Token revoked')));
  }
  return () => stops.forEach((stop) => stop());
}
