import { escapeHtml } from '../common/text/html';
import { parseMentions } from './mentions';

describe('parseMentions', () => {
  const id = '3f2b8c1e-9a4d-4c1f-8e2a-1b2c3d4e5f60';

  it('reads picker tokens and shows them as @Name', () => {
    const r = parseMentions(`@[Kim Minji](agent:${id}) please check, and @[Kim Minji](agent:${id.toUpperCase()})`);
    expect(r.agentIds).toEqual([id]);
    expect(r.body).toBe('@Kim Minji please check, and @Kim Minji');
  });

  it('reads @email mentions but not plain email addresses', () => {
    const r = parseMentions('ask @Lee@Example.com. The customer is kim@example.com, cc @park@example.co.kr');
    expect(r.emails).toEqual(['lee@example.com', 'park@example.co.kr']);
  });

  it('keeps Korean names and escapes them for HTML bodies', () => {
    const r = parseMentions(`<p>@[김<b>민지</b>](agent:${id}) 확인 부탁드립니다</p>`, escapeHtml);
    expect(r.body).toBe('<p>@김&lt;b&gt;민지&lt;/b&gt; 확인 부탁드립니다</p>');
    expect(r.agentIds).toEqual([id]);
  });

  it('leaves malformed tokens as they are', () => {
    const r = parseMentions('@[Kim](agent:not-a-uuid) and @[](agent:x)');
    expect(r).toEqual({ agentIds: [], emails: [], body: '@[Kim](agent:not-a-uuid) and @[](agent:x)' });
  });
});
