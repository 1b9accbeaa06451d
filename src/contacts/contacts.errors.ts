import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-codes';
import type { IdentityKind } from './entities';

/** An identity (email, phone, …) already belongs to another contact; details name that contact. */
export class IdentityTakenError extends DomainError {
  constructor(kind: IdentityKind, value: string, contactId: string) {
    super(
      ErrorCode.ALREADY_EXISTS,
      `The ${kind} ${value} already belongs to another contact. Merge the two contacts instead.`,
      { kind, value, contactId },
    );
  }
}

/** An email domain is already claimed by another organization. */
export class DomainTakenError extends DomainError {
  constructor(domain: string, organizationId: string) {
    super(ErrorCode.ALREADY_EXISTS, `The domain ${domain} already belongs to another organization.`, {
      domain,
      organizationId,
    });
  }
}
