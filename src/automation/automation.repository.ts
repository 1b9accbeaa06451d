import { Injectable } from '@nestjs/common';
import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { CannedResponse, Macro, SavedView } from './entities';

/** Every query of macros, canned responses and saved views. */
@Injectable()
export class AutomationRepository {
  constructor(private readonly ds: DataSource) {}

  /** Shared rows plus the agent's own, in the order agents arranged them. */
  macros(agentId: string | null, includeInactive: boolean): Promise<Macro[]> {
    const q = this.ds
      .getRepository(Macro)
      .createQueryBuilder('m')
      .where('(m.owner_agent_id IS NULL OR m.owner_agent_id = :agentId)', { agentId })
      .orderBy('m.owner_agent_id IS NULL', 'DESC')
      .addOrderBy('m.position')
      .addOrderBy('m.name');
    if (!includeInactive) q.andWhere('m.is_active');
    return q.getMany();
  }

  /** Canned responses an agent may use: their own, everyone's, and their groups'. */
  cannedFor(agentId: string | null, groupIds: string[], allShared: boolean, search: string | null) {
    const q = this.ds
      .getRepository(CannedResponse)
      .createQueryBuilder('c')
      .where(
        allShared
          ? '(c.owner_agent_id = :agentId OR c.owner_agent_id IS NULL)'
          : '(c.owner_agent_id = :agentId OR (c.owner_agent_id IS NULL AND (c.group_id IS NULL OR c.group_id = ANY(:groupIds))))',
        { agentId, groupIds },
      )
      .orderBy('c.shortcut')
      .addOrderBy('c.owner_agent_id IS NULL')
      .limit(500);
    if (search) {
      q.andWhere(`(c.shortcut ILIKE :like ESCAPE '\\' OR c.title ILIKE :like ESCAPE '\\')`, {
        like: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    return q.getMany();
  }

  shortcutTaken(shortcut: string, ownerAgentId: string | null, exceptId: string | null): Promise<boolean> {
    return this.ds
      .getRepository(CannedResponse)
      .createQueryBuilder('c')
      .where('c.shortcut = :shortcut', { shortcut })
      .andWhere(ownerAgentId ? 'c.owner_agent_id = :owner' : 'c.owner_agent_id IS NULL', { owner: ownerAgentId })
      .andWhere(exceptId ? 'c.id <> :exceptId' : 'TRUE', { exceptId })
      .getExists();
  }

  savedViews(agentId: string | null, limit: number): Promise<SavedView[]> {
    return this.ds
      .getRepository(SavedView)
      .createQueryBuilder('v')
      .where('(v.owner_agent_id IS NULL OR v.owner_agent_id = :agentId)', { agentId })
      .orderBy('v.owner_agent_id IS NULL', 'DESC')
      .addOrderBy('v.position')
      .addOrderBy('v.name')
      .limit(limit)
      .getMany();
  }

  findById<T extends ObjectLiteral & { id: string }>(entity: EntityTarget<T>, id: string): Promise<T | null> {
    return this.ds.getRepository(entity).findOneBy({ id } as never);
  }

  async insert<T extends ObjectLiteral>(entity: EntityTarget<T>, values: Partial<T>): Promise<T> {
    const repo = this.ds.getRepository(entity);
    return repo.save(repo.create(values as T));
  }

  async update<T extends ObjectLiteral & { id: string }>(
    entity: EntityTarget<T>,
    id: string,
    values: Partial<T>,
  ): Promise<T> {
    const repo = this.ds.getRepository(entity);
    await repo.update(id, values);
    return (await repo.findOneBy({ id } as never)) as T;
  }

  async delete<T extends ObjectLiteral>(entity: EntityTarget<T>, id: string): Promise<void> {
    await this.ds.getRepository(entity).delete(id);
  }

  /** The next position at the end of a scope's list. */
  async nextPosition(entity: typeof Macro | typeof SavedView, ownerAgentId: string | null): Promise<number> {
    const row = await this.ds
      .getRepository(entity)
      .createQueryBuilder('x')
      .select('COALESCE(MAX(x.position), -1) + 1', 'next')
      .where(ownerAgentId ? 'x.owner_agent_id = :owner' : 'x.owner_agent_id IS NULL', { owner: ownerAgentId })
      .getRawOne<{ next: number }>();
    return Number(row?.next ?? 0);
  }

  /** Rewrites positions in the given order, in one transaction. */
  async setPositions(entity: typeof Macro | typeof SavedView, ids: string[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      for (const [position, id] of ids.entries()) await m.getRepository(entity).update(id, { position });
    });
  }
}
