import type { Message } from './store';

export interface Availability {
  online: boolean;
  reason: 'OPEN' | 'OFF_HOURS' | 'NO_AGENTS';
  backText: string | null;
}

export interface Conversation {
  id: string;
  mode: 'live_chat' | 'messaging';
  state: 'open' | 'waiting' | 'active' | 'ended' | 'closed';
  offline: boolean;
  queuePosition: number | null;
  estimatedWaitSeconds: number | null;
  agents: Array<{ id: string; name: string }>;
  lastMessage: Message | null;
  createdAt: string;
  lastMessageAt: string | null;
}

export interface Rule {
  id: string;
  message: string;
  urlPattern: string | null;
  minSecondsOnPage: number | null;
  minVisitCount: number | null;
  audience: 'all' | 'identified' | 'anonymous';
}

export interface Session {
  visitorId: string;
  identified: boolean;
  name: string | null;
  email: string | null;
  visitCount: number;
  widget: {
    name: string;
    mode: 'live_chat' | 'messaging';
    logoUrl: string | null;
    greeting: string;
    greetingKo: string;
    requireIdentified: boolean;
    preChatFields: PreChatField[];
  };
  availability: Availability;
  conversations: Conversation[];
  proactiveRules: Rule[];
}

/** A pre-chat question: name, email, phone or custom:<slug> (with its input type). */
export interface PreChatField {
  key: string;
  label: string;
  labelKo: string;
  type: 'text' | 'number' | 'select' | 'checkbox' | null;
  options: string[];
  required: boolean;
}

/** Whether a proactive rule applies to this page and visitor (time on page is waited for separately). */
export function ruleMatches(rule: Rule, url: string, visitCount: number, identified: boolean): boolean {
  if (rule.audience === 'identified' && !identified) return false;
  if (rule.audience === 'anonymous' && identified) return false;
  if (rule.minVisitCount && visitCount < rule.minVisitCount) return false;
  if (!rule.urlPattern) return true;
  const re = new RegExp(
    `^${rule.urlPattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(url);
}
