import type { Agent } from '../../../identity/entities';
import { forwardedOriginal, looksForwarded } from './forwarded';
import type { MailAddress, ParsedEmail } from './parse';

export interface MailPeople {
  /** Who the message is from, as the ticket sees it (original sender of an agent's forward). */
  author: MailAddress | null;
  /** Where answers go: Reply-To when given (and not ours), else the author. */
  replyTo: MailAddress | null;
  /** The agent who wrote it themselves (from their own mail client), if so. */
  agent: Agent | null;
  /** The agent who forwarded a customer's mail into the mailbox, if so. */
  forwardedBy: Agent | null;
  /** Others on To/Cc who could be copied on the ticket (not ours, not the author). */
  copies: MailAddress[];
}

const MAX_COPIES = 20;
/** A mail to more people than this is a mass mailing: nobody on it is copied on the ticket. */
const MASS_MAIL = 20;

function isList(mail: ParsedEmail): boolean {
  return ['list-id', 'list-post'].some((h) => mail.headers.has(h));
}

/** The people to copy on the ticket: none for agents' mail, forwards, automatic mail and mass mailings. */
export function ticketCopies(people: MailPeople, mail: ParsedEmail, noAnswer: string | null): MailAddress[] {
  if (people.agent || people.forwardedBy || noAnswer || mail.to.length + mail.cc.length > MASS_MAIL) return [];
  return people.copies;
}

/**
 * Decides who a received mail is from. `agentOf` tells whether an address belongs to an active
 * agent. Reply-To is honoured for answers; an agent's forward belongs to the original sender.
 */
export async function mailPeople(
  mail: ParsedEmail,
  envelopeFrom: string | null,
  ours: ReadonlySet<string>,
  agentOf: (address: string) => Promise<Agent | null>,
): Promise<MailPeople> {
  const isOurs = (a: MailAddress | null | undefined) => !!a && ours.has(a.address.replace(/\+[^@]*@/, '@'));
  const from = mail.from ?? mail.sender ?? (envelopeFrom ? { address: envelopeFrom, name: '' } : null);
  const sender = from ? await agentOf(from.address) : null;
  let author = from;
  let agent: Agent | null = null;
  let forwardedBy: Agent | null = null;
  if (sender && looksForwarded(mail)) {
    const original = forwardedOriginal(mail);
    if (original && !isOurs(original.from) && !(await agentOf(original.from.address))) {
      author = original.from;
      forwardedBy = sender;
    } else agent = sender;
  } else if (sender) agent = sender;
  // Reply-To names the person to answer (web forms, shared senders); a list's Reply-To is the list
  const named = isList(mail) ? undefined : mail.replyTo.find((a) => !isOurs(a));
  if (named && !forwardedBy && !agent) author = named;
  const replyTo = author;
  const skip = new Set([author?.address, replyTo?.address, from?.address].filter(Boolean));
  const copies = [...mail.to, ...mail.cc]
    .filter((a) => !isOurs(a) && !skip.has(a.address) && !!skip.add(a.address))
    .slice(0, MAX_COPIES);
  return { author: author && !isOurs(author) ? author : null, replyTo, agent, forwardedBy, copies };
}
