import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../../../common/auth/actor';
import { NotFoundError } from '../../../common/errors/domain-error';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { TicketContactFollowersService } from '../../../tickets/ticket-contact-followers.service';
import { TicketsService } from '../../../tickets/tickets.service';
import type { Mailbox } from '../entities';
import { threadKeys } from '../threading/thread-keys';
import { matchThread, type ThreadLookup, type ThreadTarget } from '../threading/thread-match';
import { ThreadingRepository } from '../threading/threading.repository';
import { verifyTicketToken } from '../threading/tokens';
import type { ParsedEmail } from './parse';

export interface Participant {
  /** The sender's contact id if they wrote before; asked only when a ticket needs it checked. */
  contactId: () => Promise<string | null>;
  isAgent: boolean;
}

/** Finds the ticket a received mail continues (see `matchThread` for the rules). */
@Injectable()
export class InboundThreadingService {
  constructor(
    private readonly repo: ThreadingRepository,
    private readonly tickets: TicketsService,
    private readonly contactFollowers: TicketContactFollowersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async target(
    mail: ParsedEmail,
    recipients: string[],
    mailboxes: Mailbox[],
    who: Participant,
  ): Promise<ThreadTarget | null> {
    const keys = threadKeys(
      mail,
      recipients,
      mailboxes.map((mb) => mb.subjectTag),
    );
    const numbers = (list: Array<number | null>) => [...new Set(list.filter((n): n is number => n !== null))];
    const found: ThreadLookup = {
      byMessageId: await this.repo.byMessageIds(keys.messageIds),
      byToken: await this.ticketsByNumber(
        numbers(keys.tokens.map((t) => verifyTicketToken(this.config.secrets.app, t))),
      ),
      bySubject: await this.ticketsByNumber(keys.subjectNumbers.slice(0, 5)),
      byThreadIndex: keys.threadIndexRoot ? await this.repo.byThreadIndexRoot(keys.threadIndexRoot) : [],
    };
    const candidates = [...found.bySubject, ...found.byThreadIndex].map((t) => t.ticketId);
    const members = await this.participants(candidates);
    const contactId = candidates.length && !who.isAgent ? await who.contactId() : null;
    return matchThread(
      keys,
      found,
      (ticketId) => who.isAgent || (!!contactId && !!members.get(ticketId)?.has(contactId)),
    );
  }

  private async ticketsByNumber(numbers: number[]): Promise<Array<{ ticketId: string }>> {
    const found: Array<{ ticketId: string }> = [];
    for (const n of numbers) {
      try {
        found.push({ ticketId: (await this.tickets.getByNumber(SYSTEM_ACTOR, n)).id });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return found;
  }

  /** Requester and copied customers of each ticket. */
  private async participants(ticketIds: string[]): Promise<Map<string, Set<string>>> {
    const map = new Map<string, Set<string>>();
    const unique = [...new Set(ticketIds)];
    if (!unique.length) return map;
    for (const t of await this.tickets.getMany(SYSTEM_ACTOR, unique)) map.set(t.id, new Set([t.requesterId]));
    for (const f of await this.contactFollowers.contactFollowersOf(unique)) map.get(f.ticketId)?.add(f.contactId);
    return map;
  }
}
