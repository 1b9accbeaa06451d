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
  const replyTo = forwardedBy ? author : (mail.replyTo.find((a) => !isOurs(a)) ?? author);
  const skip = new Set([author?.address, replyTo?.address, from?.address].filter(Boolean));
  const copies = [...mail.to, ...mail.cc]
    .filter((a) => !isOurs(a) && !skip.has(a.address) && !!skip.add(a.address))
    .slice(0, MAX_COPIES);
  return { author: author && !isOurs(author) ? author : null, replyTo, agent, forwardedBy, copies };
}
