import type { TicketPriority, TicketStatus } from '../../tickets/entities';

/**
 * Status, priority and channel look the same everywhere (list, ticket, search): a fixed colour,
 * a shape (icon) and a label — never colour alone.
 */
export const STATUS_ICON: Record<TicketStatus, string> = {
  new: 'sparkle',
  open: 'circle-dot',
  pending: 'clock',
  on_hold: 'circle-pause',
  solved: 'circle-check',
  closed: 'lock',
  merged: 'git-merge',
};

export const PRIORITY_ICON: Record<TicketPriority, string> = {
  urgent: 'chevrons-up',
  high: 'chevron-up',
  normal: 'equal',
  low: 'chevron-down',
};

const CHANNEL_ICON: Record<string, string> = {
  email: 'mail',
  widget: 'message-circle',
  whatsapp: 'phone',
  messenger: 'messages-square',
  instagram: 'camera',
  telegram: 'send',
  line: 'message-square',
  sms: 'smartphone',
  api: 'code-xml',
};

export const KNOWN_CHANNELS = Object.keys(CHANNEL_ICON);

export function channelIcon(channel: string): string {
  return CHANNEL_ICON[channel] ?? 'globe';
}

/** The i18n key of a channel's label; unknown channels fall back to a generic "web" label. */
export function channelKey(channel: string): string {
  return CHANNEL_ICON[channel] ? `channel.${channel}` : 'channel.other';
}

/** Statuses an agent can pick (closed and merged are reached by rules and merges, not by hand). */
export const PICKABLE_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved'];
export const PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
