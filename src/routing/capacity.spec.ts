import { withEffective } from './capacity.service';
import type { AgentLoadRow } from './routing.repository';

const row = (over: Partial<AgentLoadRow>): AgentLoadRow => ({
  agentId: 'a',
  status: 'online',
  present: true,
  chats: 0,
  offers: 0,
  tickets: 0,
  capacity: 2,
  ownCapacity: null,
  ...over,
});

describe('routing view of an agent', () => {
  it('is offline while not connected, whatever status was chosen', () => {
    expect(withEffective(row({ present: false }))).toMatchObject({
      effectiveStatus: 'offline',
      acceptsChats: false,
      acceptsTransfers: false,
    });
  });

  it('takes new chats only when online, transfers also when transfer-only, nothing when away', () => {
    expect(withEffective(row({}))).toMatchObject({ acceptsChats: true, acceptsTransfers: true });
    expect(withEffective(row({ status: 'transfer_only' }))).toMatchObject({
      acceptsChats: false,
      acceptsTransfers: true,
    });
    expect(withEffective(row({ status: 'away' }))).toMatchObject({ acceptsChats: false, acceptsTransfers: false });
  });

  it('counts pending offers against capacity', () => {
    expect(withEffective(row({ chats: 1, offers: 0 })).acceptsChats).toBe(true);
    expect(withEffective(row({ chats: 1, offers: 1 }))).toMatchObject({ acceptsChats: false, acceptsTransfers: false });
    expect(withEffective(row({ chats: 3 })).acceptsTransfers).toBe(false);
  });
});
