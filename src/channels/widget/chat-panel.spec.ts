import { ValidationError } from '../../common/errors/domain-error';
import { transferTarget } from './chat-panel.service';

describe('transfer target', () => {
  it('is exactly one agent or one group', () => {
    expect(transferTarget({ toAgentId: 'a1' })).toEqual({ kind: 'agent', agentId: 'a1' });
    expect(transferTarget({ toGroupId: 'g1', toAgentId: null })).toEqual({ kind: 'group', groupId: 'g1' });
    expect(() => transferTarget({})).toThrow(ValidationError);
    expect(() => transferTarget({ toAgentId: 'a1', toGroupId: 'g1' })).toThrow(ValidationError);
  });
});
