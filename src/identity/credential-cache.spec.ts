import { CredentialCache } from './credential-cache';

describe('CredentialCache', () => {
  const meta = (agentId: string, credentialId: string, expiresAt?: Date) => ({ agentId, credentialId, expiresAt });

  it('serves an entry until its TTL, then forgets it', () => {
    const cache = new CredentialCache<string>(1000);
    cache.set('k', 'v', meta('a1', 's1'), cache.generation(), 0);
    expect(cache.get('k', 999)).toBe('v');
    expect(cache.get('k', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never serves a session past its own expiry', () => {
    const cache = new CredentialCache<string>(30_000);
    cache.set('k', 'v', meta('a1', 's1', new Date(500)), cache.generation(), 0);
    expect(cache.get('k', 499)).toBe('v');
    expect(cache.get('k', 500)).toBeUndefined();
    cache.set('gone', 'v', meta('a1', 's2', new Date(0)), cache.generation(), 10);
    expect(cache.get('gone', 10)).toBeUndefined();
  });

  it('drops every entry of an agent on deactivation, sign-out everywhere and rights changes', () => {
    for (const kind of ['agent_deactivated', 'sessions_revoked', 'agent_rights_changed']) {
      const cache = new CredentialCache<string>();
      cache.set('s1', 'x', meta('a1', 's1'), cache.generation());
      cache.set('t1', 'y', meta('a1', 't1'), cache.generation());
      cache.set('s2', 'z', meta('a2', 's2'), cache.generation());
      cache.apply({ kind, id: 'a1' });
      expect([cache.get('s1'), cache.get('t1'), cache.get('s2')]).toEqual([undefined, undefined, 'z']);
    }
  });

  it('drops one session or token by its id, and ignores other events', () => {
    const cache = new CredentialCache<string>();
    cache.set('s1', 'x', meta('a1', 's1'), cache.generation());
    cache.set('t1', 'y', meta('a1', 't1'), cache.generation());
    cache.apply({ kind: 'ticket_updated', id: 'a1' });
    expect(cache.size).toBe(2);
    cache.apply({ kind: 'session_revoked', id: 's1' });
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.get('t1')).toBe('y');
    cache.apply({ kind: 'token_revoked', id: 't1' });
    expect(cache.get('t1')).toBeUndefined();
  });

  it('does not cache a lookup that was under way when an event arrived (it may have read the old state)', () => {
    const cache = new CredentialCache<string>();
    const before = cache.generation();
    cache.apply({ kind: 'session_revoked', id: 'other' });
    cache.set('s1', 'stale', meta('a1', 's1'), before);
    expect(cache.get('s1')).toBeUndefined();
    const cleared = cache.generation();
    cache.clear();
    cache.set('s1', 'stale', meta('a1', 's1'), cleared);
    expect(cache.get('s1')).toBeUndefined();
  });

  it('stays bounded, dropping the oldest entry first', () => {
    const cache = new CredentialCache<number>(30_000, 3);
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i, meta('a', `c${i}`), cache.generation());
    expect(cache.size).toBe(3);
    expect([cache.get('k0'), cache.get('k1'), cache.get('k2'), cache.get('k4')]).toEqual([undefined, undefined, 2, 4]);
  });
});
