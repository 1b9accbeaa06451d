/**
 * @mentions in internal notes. Two spellings: `@[Name](agent:<uuid>)`, what the workspace's
 * mention picker inserts, and `@someone@example.com` typed by hand. Both are resolved against
 * active agents by the caller; anything that does not resolve simply stays text.
 */

const TOKEN = /@\[([^\]\n]{1,200})\]\(agent:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/gi;
const EMAIL =
  /(?<![\w.+-])@([\w.+-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)/gi;

export interface ParsedMentions {
  /** Agent ids of `@[Name](agent:<id>)` tokens, lower-case, unique. */
  agentIds: string[];
  /** Emails of `@email` mentions, lower-case, unique. */
  emails: string[];
  /** The body with tokens shown as `@Name`. */
  body: string;
}

export function parseMentions(body: string, escape: (s: string) => string = (s) => s): ParsedMentions {
  const agentIds = new Set<string>();
  const emails = new Set<string>();
  const withNames = body.replace(TOKEN, (_m, name: string, id: string) => {
    agentIds.add(id.toLowerCase());
    return escape(`@${name.trim()}`);
  });
  for (const m of withNames.matchAll(EMAIL)) emails.add(m[1].toLowerCase().replace(/\.$/, ''));
  return { agentIds: [...agentIds], emails: [...emails], body: withNames };
}
