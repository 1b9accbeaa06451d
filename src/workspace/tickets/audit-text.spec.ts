import { auditSentences, type AuditNames } from './audit-text';

const names: AuditNames = {
  agent: (id) => ({ a1: 'Sarah Lee', a2: '김민준' })[id ?? ''] ?? null,
  group: (id) => (id === 'g1' ? 'Billing' : null),
  field: (key) => (key === 'plan' ? 'Plan' : key),
};
const event = (changes: Record<string, unknown>, action = 'updated') => ({
  action,
  actorKind: 'agent',
  actorAgentId: 'a1',
  changes,
});

describe('audit sentences', () => {
  it('says what changed, field by field, in the agent language', () => {
    const e = event({
      status: { from: 'open', to: 'pending' },
      assigneeId: { from: null, to: 'a2' },
      groupId: { from: null, to: 'g1' },
      tags: { from: ['a', 'b'], to: ['b', 'c'] },
      customFields: { from: { plan: 'Free' }, to: { plan: 'Team', other: null } },
    });
    expect(auditSentences(e, names, 'en')).toEqual([
      'Sarah Lee changed the status: Open → Pending',
      'Sarah Lee assigned the ticket to 김민준',
      'Sarah Lee moved the ticket to Billing',
      'Sarah Lee added tags: c',
      'Sarah Lee removed tags: a',
      'Sarah Lee updated Plan',
    ]);
    expect(auditSentences(event({ status: { from: 'open', to: 'solved' } }), names, 'ko')).toEqual([
      'Sarah Lee님이 상태를 바꿨어요: 진행 중 → 해결됨',
    ]);
  });

  it('names merges, links and who did it', () => {
    expect(
      auditSentences(event({ mergedInto: { from: null, to: { number: 7 } } }, 'merged_into'), names, 'en'),
    ).toEqual(['Sarah Lee merged this ticket into #7']);
    const system = { ...event({}, 'created'), actorKind: 'system', actorAgentId: null };
    expect(auditSentences(system, names, 'en')).toEqual(['Ticket created']);
    expect(auditSentences({ ...system, actorKind: 'agent', actorAgentId: 'a2' }, names, 'ko')).toEqual([
      '김민준님이 티켓을 만들었어요',
    ]);
    expect(auditSentences(event({ links: { from: null, to: { number: 3 } } }, 'unlinked'), names, 'en')).toEqual([
      'Sarah Lee unlinked #3',
    ]);
    expect(auditSentences(event({ formId: { from: null, to: 'f' } }), names, 'en')).toEqual([
      'Sarah Lee updated the ticket',
    ]);
  });

  it('names the macro that made the changes', () => {
    const e = event({
      priority: { from: 'normal', to: 'high' },
      macro: { from: null, to: { id: 'm1', name: 'Refund' } },
    });
    expect(auditSentences(e, names, 'en')).toEqual([
      'Sarah Lee changed the priority: Normal → High',
      'Sarah Lee applied the macro “Refund”',
    ]);
    expect(auditSentences(e, names, 'ko')[1]).toBe('Sarah Lee님이 “Refund” 매크로를 적용했어요');
  });
});
