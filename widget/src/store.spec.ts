import { ConversationStore, type Message } from './store';

const msg = (id: string, over: Partial<Message> = {}): Message => ({
  id,
  conversationId: 'c',
  authorKind: 'agent',
  agent: null,
  bodyHtml: `<p>${id}</p>`,
  bodyText: id,
  content: null,
  attachments: [],
  delivered: false,
  read: false,
  createdAt: new Date(0).toISOString(),
  ...over,
});

describe('ConversationStore', () => {
  it('keeps each message once, in id order, whatever order and how often they arrive', () => {
    const s = new ConversationStore('c');
    s.add([msg('5'), msg('3')]);
    s.add([msg('4'), msg('5'), msg('3')]);
    s.add([msg('10')]);
    expect(s.list().map((m) => m.id)).toEqual(['3', '4', '5', '10']);
    expect(s.cursor).toBe('10');
  });

  it('replaces a pending message by the stored one, also when the live event came first', () => {
    const s = new ConversationStore('c');
    s.addPending({ ...msg('local', { authorKind: 'contact' }), clientId: 'k1' });
    expect(s.list().map((m) => m.status)).toEqual(['pending']);
    s.add([msg('7', { authorKind: 'contact' })]);
    s.confirm('k1', msg('7', { authorKind: 'contact' }));
    expect(s.list().map((m) => [m.id, m.status])).toEqual([['7', undefined]]);
  });

  it('marks a failed send so it can be retried, and never counts local ids as a cursor', () => {
    const s = new ConversationStore('c');
    s.addPending({ ...msg('local', { authorKind: 'contact' }), clientId: 'k2' });
    s.fail('k2');
    expect(s.pendingMessage('k2')?.status).toBe('failed');
    expect(s.cursor).toBeUndefined();
  });

  it('applies receipts up to a message, only to the other side’s messages, and never moves them back', () => {
    const s = new ConversationStore('c');
    s.add([msg('1', { authorKind: 'contact' }), msg('2'), msg('3', { authorKind: 'contact' })]);
    s.receipt('team', 'read', '1');
    expect(s.list().map((m) => m.read)).toEqual([true, false, false]);
    s.add([msg('1', { authorKind: 'contact', read: false })]);
    expect(s.list()[0].read).toBe(true);
    expect(s.unreadCount()).toBe(1);
    expect(s.lastUnreadFromTeam()?.id).toBe('2');
    s.receipt('visitor', 'read', '3');
    expect(s.unreadCount()).toBe(0);
  });

  it('ignores the placeholder id of a message that was not stored', () => {
    const s = new ConversationStore('c');
    s.addPending({ ...msg('local', { authorKind: 'contact' }), clientId: 'k3' });
    s.confirm('k3', msg('0', { authorKind: 'contact' }));
    expect(s.list().map((m) => m.id)).toEqual(['0']);
    expect(s.cursor).toBeUndefined();
  });
});
