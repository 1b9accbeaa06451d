import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { WidgetEvent, WidgetPageView, WidgetUpload, WidgetVisitor, type PreChatAnswer } from './entities';

/** Queries of visitors, what they viewed and tracked, and their pending uploads. */
@Injectable()
export class VisitorsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findVisitor(id: string, manager?: EntityManager): Promise<WidgetVisitor | null> {
    return this.m(manager).getRepository(WidgetVisitor).findOneBy({ id });
  }

  findVisitors(ids: readonly string[]): Promise<WidgetVisitor[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(WidgetVisitor).createQueryBuilder('v').where('v.id = ANY(:ids)', { ids }).getMany();
  }

  async insertVisitor(values: Partial<WidgetVisitor>, manager?: EntityManager): Promise<WidgetVisitor> {
    const repo = this.m(manager).getRepository(WidgetVisitor);
    await repo.insert(repo.create(values));
    return (await this.findVisitor(values.id as string, manager)) as WidgetVisitor;
  }

  async updateVisitor(id: string, patch: Partial<WidgetVisitor>, manager?: EntityManager): Promise<WidgetVisitor> {
    if (Object.keys(patch).length) await this.m(manager).getRepository(WidgetVisitor).update({ id }, patch);
    return (await this.findVisitor(id, manager)) as WidgetVisitor;
  }

  /** A new visit: counts it when the last activity is older than half an hour. */
  async touch(id: string, ip: string | undefined): Promise<void> {
    await this.ds.query(
      `UPDATE widget_visitor
          SET visit_count = visit_count + CASE WHEN last_seen_at < now() - interval '30 minutes' THEN 1 ELSE 0 END,
              last_seen_at = now(), ip = coalesce($2, ip)
        WHERE id = $1`,
      [id, ip ?? null],
    );
  }

  async insertPageView(v: Pick<WidgetPageView, 'visitorId' | 'url' | 'title' | 'referrer'>): Promise<void> {
    await this.ds.getRepository(WidgetPageView).insert(v);
  }

  async insertEvent(e: Pick<WidgetEvent, 'visitorId' | 'name' | 'properties'>): Promise<void> {
    await this.ds.query(`INSERT INTO widget_event (visitor_id, name, properties) VALUES ($1, $2, $3)`, [
      e.visitorId,
      e.name,
      JSON.stringify(e.properties),
    ]);
  }

  pageViews(visitorIds: string[], limit: number): Promise<WidgetPageView[]> {
    return this.ds
      .getRepository(WidgetPageView)
      .createQueryBuilder('p')
      .where('p.visitorId = ANY(:visitorIds)', { visitorIds })
      .orderBy('p.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  events(visitorIds: string[], limit: number): Promise<WidgetEvent[]> {
    return this.ds
      .getRepository(WidgetEvent)
      .createQueryBuilder('e')
      .where('e.visitorId = ANY(:visitorIds)', { visitorIds })
      .orderBy('e.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** Visitors (browsers) of a contact on a widget (or on any widget), most recent first. */
  visitorsOfContact(contactId: string, widgetId: string | null): Promise<WidgetVisitor[]> {
    return this.ds.getRepository(WidgetVisitor).find({
      where: widgetId ? { contactId, widgetId } : { contactId },
      order: { lastSeenAt: 'DESC' },
      take: 20,
    });
  }

  /** The pre-chat answers of the newest of these widget conversations that has any. */
  async prechatAnswers(conversationIds: readonly string[]): Promise<PreChatAnswer[]> {
    if (!conversationIds.length) return [];
    const rows = await this.ds.query<Array<{ prechat_answers: PreChatAnswer[] }>>(
      `SELECT prechat_answers FROM widget_conversation
        WHERE conversation_id = ANY($1::uuid[]) AND prechat_answers <> '[]'::jsonb
        ORDER BY created_at DESC LIMIT 1`,
      [conversationIds],
    );
    return rows[0]?.prechat_answers ?? [];
  }

  async insertUpload(attachmentId: string, visitorId: string): Promise<void> {
    await this.ds.getRepository(WidgetUpload).insert({ attachmentId, visitorId });
  }

  /** Takes the visitor's pending uploads among `ids` (so they cannot be used twice); returns the ids taken. */
  async takeUploads(ids: string[], visitorId: string, manager?: EntityManager): Promise<string[]> {
    if (!ids.length) return [];
    const [rows] = await this.m(manager).query<[Array<{ attachment_id: string }>, number]>(
      `DELETE FROM widget_upload WHERE attachment_id = ANY($1::uuid[]) AND visitor_id = $2 RETURNING attachment_id`,
      [ids, visitorId],
    );
    return rows.map((r) => r.attachment_id);
  }
}
