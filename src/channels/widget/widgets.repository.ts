import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BusinessHours, ProactiveRule, Widget, WidgetBlock, type BlockKind } from './entities';

export type WidgetValues = Omit<Widget, 'id' | 'createdAt' | 'updatedAt' | 'identitySecret'>;

/** Queries of widgets, business hours, proactive rules and blocks. */
@Injectable()
export class WidgetsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findWidget(id: string): Promise<Widget | null> {
    return this.ds.getRepository(Widget).findOneBy({ id });
  }

  listWidgets(): Promise<Widget[]> {
    return this.ds.getRepository(Widget).find({ order: { createdAt: 'ASC' } });
  }

  async identitySecret(id: string): Promise<string | null> {
    const row = await this.ds
      .getRepository(Widget)
      .createQueryBuilder('w')
      .addSelect('w.identitySecret')
      .where('w.id = :id', { id })
      .getOne();
    return row?.identitySecret ?? null;
  }

  async insertWidget(values: Partial<WidgetValues> & { name: string; identitySecret: string }): Promise<Widget> {
    const repo = this.ds.getRepository(Widget);
    const saved = await repo.save(repo.create(values));
    return (await this.findWidget(saved.id)) as Widget;
  }

  async updateWidget(id: string, patch: Partial<Widget>): Promise<Widget | null> {
    if (Object.keys(patch).length) await this.ds.getRepository(Widget).update({ id }, patch);
    return this.findWidget(id);
  }

  async deleteWidget(id: string): Promise<boolean> {
    return ((await this.ds.getRepository(Widget).delete({ id })).affected ?? 0) > 0;
  }

  findBusinessHours(id: string): Promise<BusinessHours | null> {
    return this.ds.getRepository(BusinessHours).findOneBy({ id });
  }

  listBusinessHours(): Promise<BusinessHours[]> {
    return this.ds.getRepository(BusinessHours).find({ order: { name: 'ASC' } });
  }

  saveBusinessHours(values: Partial<BusinessHours>): Promise<BusinessHours> {
    const repo = this.ds.getRepository(BusinessHours);
    return repo.save(repo.create(values));
  }

  async deleteBusinessHours(id: string): Promise<boolean> {
    return ((await this.ds.getRepository(BusinessHours).delete({ id })).affected ?? 0) > 0;
  }

  findRule(id: string): Promise<ProactiveRule | null> {
    return this.ds.getRepository(ProactiveRule).findOneBy({ id });
  }

  rulesOf(widgetId: string, activeOnly = false): Promise<ProactiveRule[]> {
    return this.ds
      .getRepository(ProactiveRule)
      .find({ where: { widgetId, ...(activeOnly ? { isActive: true } : {}) }, order: { createdAt: 'ASC' } });
  }

  saveRule(values: Partial<ProactiveRule>): Promise<ProactiveRule> {
    const repo = this.ds.getRepository(ProactiveRule);
    return repo.save(repo.create(values));
  }

  async deleteRule(id: string): Promise<boolean> {
    return ((await this.ds.getRepository(ProactiveRule).delete({ id })).affected ?? 0) > 0;
  }

  listBlocks(widgetId: string | null): Promise<WidgetBlock[]> {
    const qb = this.ds.getRepository(WidgetBlock).createQueryBuilder('b').orderBy('b.createdAt', 'DESC').limit(500);
    if (widgetId) qb.where('b.widgetId = :widgetId OR b.widgetId IS NULL', { widgetId });
    return qb.getMany();
  }

  /** Adds a block; an identical one already there is returned instead. */
  async insertBlock(values: Omit<WidgetBlock, 'id' | 'createdAt'>): Promise<WidgetBlock> {
    await this.ds.query(
      `INSERT INTO widget_block (widget_id, kind, value, reason, created_by_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [values.widgetId, values.kind, values.value, values.reason, values.createdById],
    );
    const qb = this.ds
      .getRepository(WidgetBlock)
      .createQueryBuilder('b')
      .where('b.kind = :kind AND b.value = :value', values);
    if (values.widgetId) qb.andWhere('b.widgetId = :widgetId', values);
    else qb.andWhere('b.widgetId IS NULL');
    return (await qb.getOne()) as WidgetBlock;
  }

  async deleteBlock(id: string): Promise<boolean> {
    return ((await this.ds.getRepository(WidgetBlock).delete({ id })).affected ?? 0) > 0;
  }

  /** Whether any of the visitor's id, email or IP is blocked on this widget or on all widgets. */
  async isBlocked(
    widgetId: string,
    keys: Array<{ kind: BlockKind; value: string | null | undefined }>,
    manager?: EntityManager,
  ): Promise<boolean> {
    const present = keys.filter((k): k is { kind: BlockKind; value: string } => !!k.value);
    if (!present.length) return false;
    const rows = await this.m(manager).query<unknown[]>(
      `SELECT 1 FROM widget_block
        WHERE (widget_id IS NULL OR widget_id = $1)
          AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))
        LIMIT 1`,
      [widgetId, present.map((k) => k.kind), present.map((k) => k.value)],
    );
    return rows.length > 0;
  }
}
