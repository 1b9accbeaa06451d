import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TicketField, TicketForm } from './entities';

/** Queries for custom ticket fields and ticket forms. */
@Injectable()
export class TicketFieldsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  listFields(includeInactive: boolean, manager?: EntityManager): Promise<TicketField[]> {
    const qb = this.m(manager).getRepository(TicketField).createQueryBuilder('f');
    if (!includeInactive) qb.where('f.active');
    return qb.orderBy('f.position', 'ASC').addOrderBy('f.createdAt', 'ASC').getMany();
  }

  fieldById(id: string, manager?: EntityManager): Promise<TicketField | null> {
    return this.m(manager).getRepository(TicketField).findOneBy({ id });
  }

  fieldsByIds(ids: readonly string[]): Promise<TicketField[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(TicketField).createQueryBuilder('f').where('f.id = ANY(:ids)', { ids }).getMany();
  }

  keyExists(key: string): Promise<boolean> {
    return this.ds.getRepository(TicketField).existsBy({ key });
  }

  async nextPosition(): Promise<number> {
    const row = await this.ds
      .getRepository(TicketField)
      .createQueryBuilder('f')
      .select('COALESCE(MAX(f.position), -1) + 1', 'next')
      .getRawOne<{ next: number }>();
    return Number(row?.next ?? 0);
  }

  async insertField(values: Partial<TicketField>): Promise<TicketField> {
    const result = await this.ds.getRepository(TicketField).insert(values);
    return (await this.fieldById((result.identifiers[0] as { id: string }).id)) as TicketField;
  }

  async updateField(id: string, values: Partial<TicketField>): Promise<TicketField> {
    await this.ds.getRepository(TicketField).update({ id }, { ...values, updatedAt: () => 'now()' });
    return (await this.fieldById(id)) as TicketField;
  }

  listForms(includeInactive: boolean): Promise<TicketForm[]> {
    const qb = this.ds.getRepository(TicketForm).createQueryBuilder('f');
    if (!includeInactive) qb.where('f.active');
    return qb.orderBy('f.isDefault', 'DESC').addOrderBy('f.name', 'ASC').getMany();
  }

  formById(id: string, manager?: EntityManager): Promise<TicketForm | null> {
    return this.m(manager).getRepository(TicketForm).findOneBy({ id });
  }

  defaultForm(manager?: EntityManager): Promise<TicketForm | null> {
    return this.m(manager).getRepository(TicketForm).findOneBy({ isDefault: true, active: true });
  }

  /** Saves a form; making it the default first takes the flag from the previous default. */
  async saveForm(id: string | null, values: Partial<TicketForm>): Promise<TicketForm> {
    return this.ds.transaction(async (m) => {
      const repo = m.getRepository(TicketForm);
      if (values.isDefault) {
        // serialise concurrent "make default" calls on the unique partial index
        await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['ticket_form_default']);
        await repo
          .createQueryBuilder()
          .update()
          .set({ isDefault: false })
          .where('is_default AND id IS DISTINCT FROM :id', { id })
          .execute();
      }
      if (id) {
        await repo.update({ id }, { ...values, updatedAt: () => 'now()' });
        return (await this.formById(id, m)) as TicketForm;
      }
      const result = await repo.insert(values);
      return (await this.formById((result.identifiers[0] as { id: string }).id, m)) as TicketForm;
    });
  }
}
