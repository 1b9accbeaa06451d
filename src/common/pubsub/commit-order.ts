/**
 * The advisory lock key taken by the `sori_realtime_commit_order` trigger on `message` and
 * `audit_event` (migrations/1763900300000-ConversationsRealtime.ts): 0x736f7269_0001. Inserts
 * into those tables draw ids and commit one transaction at a time, so their ids become visible
 * in id order and realtime cursors (`id > after`) never skip a row that commits late.
 */
export const REALTIME_COMMIT_ORDER_LOCK = 0x736f72690001;
