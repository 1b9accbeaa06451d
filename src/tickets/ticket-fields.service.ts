import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertAdmin, assertCanRead, type Actor } from '../common/auth/actor';
import { DomainError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-codes';
import { FIELD_KEY_PATTERN, mergeCustomFields, missingRequiredFields, validateFieldDefinition } from './custom-fields';
import type {
  CustomFieldValue,
  Ticket,
  TicketField,
  TicketFieldType,
  TicketFieldValidation,
  TicketForm,
} from './entities';
import { TicketFieldsRepository } from './ticket-fields.repository';

export interface CreateTicketFieldData {
  key: string;
  label: string;
  labelKo?: string | null;
  type: TicketFieldType;
  options?: string[] | null;
  required?: boolean | null;
  validation?: TicketFieldValidation | null;
  position?: number | null;
}

export type UpdateTicketFieldData = Partial<Omit<CreateTicketFieldData, 'key' | 'type'>> & { active?: boolean | null };

export interface TicketFormData {
  name?: string;
  fieldIds?: string[];
  isDefault?: boolean | null;
  active?: boolean | null;
}

const MAX_FORM_FIELDS = 200;

/**
 * Custom ticket fields and the forms that group them: admin CRUD, value validation, and the
 * Zendesk rule that required fields must be filled in before a ticket can be solved.
 */
@Injectable()
export class TicketFieldsService {
  constructor(private readonly repo: TicketFieldsRepository) {}

  list(actor: Actor, includeInactive = false): Promise<TicketField[]> {
    assertCanRead(actor);
    return this.repo.listFields(includeInactive);
  }

  fieldsByIds(ids: readonly string[]): Promise<TicketField[]> {
    return this.repo.fieldsByIds(ids);
  }

  async create(actor: Actor, data: CreateTicketFieldData): Promise<TicketField> {
    assertAdmin(actor);
    const key = data.key.trim();
    if (!FIELD_KEY_PATTERN.test(key)) {
      throw new ValidationError('A field key starts with a-z and uses only a-z, 0-9 and _ (at most 63).', { key });
    }
    if (await this.repo.keyExists(key)) {
      throw new DomainError(ErrorCode.ALREADY_EXISTS, `A ticket field with key "${key}" already exists.`, { key });
    }
    const def = validateFieldDefinition(data);
    const position = data.position ?? (await this.repo.nextPosition());
    return this.repo
      .insertField({
        key,
        label: this.label(data.label),
        labelKo: data.labelKo?.trim() || null,
        type: data.type,
        options: def.options,
        validation: def.validation,
        required: data.required ?? false,
        position,
        active: true,
      })
      .catch((err: unknown) => {
        // a concurrent create with the same key
        if ((err as { code?: string }).code === '23505') {
          throw new DomainError(ErrorCode.ALREADY_EXISTS, `A ticket field with key "${key}" already exists.`, { key });
        }
        throw err;
      });
  }

  async update(actor: Actor, id: string, data: UpdateTicketFieldData): Promise<TicketField> {
    assertAdmin(actor);
    const field = await this.repo.fieldById(id);
    if (!field) throw new NotFoundError('TicketField', id);
    const patch: Partial<TicketField> = {};
    if (data.label != null) patch.label = this.label(data.label);
    if (data.labelKo !== undefined) patch.labelKo = data.labelKo?.trim() || null;
    if (data.required != null) patch.required = data.required;
    if (data.position != null) patch.position = data.position;
    if (data.active != null) patch.active = data.active;
    if (data.options != null || data.validation != null) {
      const def = validateFieldDefinition({
        type: field.type,
        options: data.options ?? field.options,
        validation: data.validation ?? field.validation,
      });
      patch.options = def.options;
      patch.validation = def.validation;
    }
    return this.repo.updateField(id, patch);
  }

  /** Hides a field from new input; values already on tickets are kept and can still be cleared. */
  deactivate(actor: Actor, id: string): Promise<TicketField> {
    return this.update(actor, id, { active: false });
  }

  listForms(actor: Actor, includeInactive = false): Promise<TicketForm[]> {
    assertCanRead(actor);
    return this.repo.listForms(includeInactive);
  }

  async getForm(actor: Actor, id: string): Promise<TicketForm> {
    assertCanRead(actor);
    const form = await this.repo.formById(id);
    if (!form) throw new NotFoundError('TicketForm', id);
    return form;
  }

  async createForm(actor: Actor, data: TicketFormData & { name: string }): Promise<TicketForm> {
    assertAdmin(actor);
    return this.repo.saveForm(null, {
      name: this.formName(data.name),
      fieldIds: await this.checkFieldIds(data.fieldIds ?? []),
      isDefault: data.isDefault ?? false,
      active: true,
    });
  }

  async updateForm(actor: Actor, id: string, data: TicketFormData): Promise<TicketForm> {
    assertAdmin(actor);
    const form = await this.repo.formById(id);
    if (!form) throw new NotFoundError('TicketForm', id);
    const patch: Partial<TicketForm> = {};
    if (data.name != null) patch.name = this.formName(data.name);
    if (data.fieldIds != null) patch.fieldIds = await this.checkFieldIds(data.fieldIds);
    if (data.active != null) patch.active = data.active;
    if (data.isDefault != null) patch.isDefault = data.isDefault;
    if (patch.active === false && (patch.isDefault ?? form.isDefault)) {
      throw new ValidationError('The default form cannot be deactivated; make another form the default first.');
    }
    return this.repo.saveForm(id, patch);
  }

  /**
   * The form a ticket uses: the given one (which must exist and be active), or for `undefined`
   * the default form (null when there is none). `null` means "no form".
   */
  async resolveFormId(formId: string | null | undefined, m?: EntityManager): Promise<string | null> {
    if (formId === null) return null;
    if (formId === undefined) return (await this.repo.defaultForm(m))?.id ?? null;
    const form = await this.repo.formById(formId, m);
    if (!form || !form.active) throw new NotFoundError('TicketForm', formId);
    return form.id;
  }

  /** The form if it is still active, else the default form (for copies such as follow-ups). */
  async activeFormOrDefault(formId: string | null, m?: EntityManager): Promise<string | null> {
    const form = formId ? await this.repo.formById(formId, m) : null;
    return form?.active ? form.id : this.resolveFormId(undefined, m);
  }

  /** Validates input values against the active fields and merges them into the current ones. */
  async mergeValues(
    current: Record<string, CustomFieldValue>,
    input: Record<string, unknown>,
    m?: EntityManager,
  ): Promise<Record<string, CustomFieldValue>> {
    if (!Object.keys(input).length) return current;
    return mergeCustomFields(await this.repo.listFields(false, m), current, input);
  }

  /**
   * Solving needs every required field of the ticket's form (or of the default form; with no
   * forms at all, every active field) to have a value.
   */
  async assertRequiredForSolve(ticket: Pick<Ticket, 'number' | 'formId' | 'customFields'>, m?: EntityManager) {
    const fields = await this.repo.listFields(false, m);
    if (!fields.some((f) => f.required)) return;
    const form = ticket.formId ? await this.repo.formById(ticket.formId, m) : await this.repo.defaultForm(m);
    const inEffect = form ? fields.filter((f) => form.fieldIds.includes(f.id)) : fields;
    const missing = missingRequiredFields(inEffect, ticket.customFields);
    if (!missing.length) return;
    const names = missing.map((f) => `${f.label} (${f.key})`).join(', ');
    const which = ticket.number ? `ticket #${ticket.number}` : 'the ticket';
    throw new ValidationError(`Fill in the required fields before solving ${which}: ${names}.`, {
      fields: missing.map((f) => f.key),
    });
  }

  private label(label: string): string {
    const value = label.trim();
    if (!value || value.length > 200) throw new ValidationError('A field label has 1 to 200 characters.');
    return value;
  }

  private formName(name: string): string {
    const value = name.trim();
    if (!value || value.length > 200) throw new ValidationError('A form name has 1 to 200 characters.');
    return value;
  }

  private async checkFieldIds(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_FORM_FIELDS) throw new ValidationError(`A form has at most ${MAX_FORM_FIELDS} fields.`);
    const found = new Set((await this.repo.fieldsByIds(unique)).map((f) => f.id));
    const missing = unique.find((id) => !found.has(id));
    if (missing) throw new NotFoundError('TicketField', missing);
    return unique;
  }
}
