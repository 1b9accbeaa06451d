/** The widget's GraphQL operations (the `widget*` fields of the visitor API). */
const MESSAGE = `id conversationId authorKind agent { id name } bodyHtml bodyText content
  attachments { id filename contentType size url } delivered read createdAt`;
const CONVERSATION = `id mode state offline queuePosition estimatedWaitSeconds agents { id name }
  lastMessage { ${MESSAGE} } createdAt lastMessageAt`;

export const SESSION = `query { widgetSession {
  visitorId identified name email visitCount
  widget { id name mode color onColor logoUrl position launcherText greeting greetingKo locale requireIdentified
           preChatFields { key label labelKo type options required } }
  availability { online reason nextOpenAt backText }
  conversations { ${CONVERSATION} }
  proactiveRules { id message urlPattern minSecondsOnPage minVisitCount audience } } }`;

export const CONVERSATION_Q = `query($id: ID!) { widgetConversation(id: $id) { ${CONVERSATION} } }`;
export const MESSAGES = `query($c: ID!, $before: ID) { widgetMessages(conversationId: $c, before: $before, last: 50) {
  hasOlder messages { ${MESSAGE} } } }`;
export const SEND = `mutation($i: WidgetMessageInput!) { widgetSendMessage(input: $i) { ${MESSAGE} } }`;
export const UPDATE_VISITOR = `mutation($i: WidgetVisitorInput!) { widgetUpdateVisitor(input: $i) { email name } }`;
export const IDENTIFY = `mutation($jwt: String!) { widgetIdentify(jwt: $jwt) { visitorId identified email name } }`;
export const TRACK_PAGE = `mutation($i: WidgetPageViewInput!) { widgetTrackPage(input: $i) }`;
export const TRACK = `mutation($i: WidgetTrackInput!) { widgetTrack(input: $i) }`;
export const TYPING = `mutation($c: ID!, $t: Boolean!) { widgetTyping(conversationId: $c, typing: $t) }`;
export const ACK = `mutation($c: ID!, $u: ID!, $r: Boolean!) { widgetAck(conversationId: $c, upTo: $u, read: $r) }`;
export const END = `mutation($c: ID!) { widgetEndChat(conversationId: $c) { id state } }`;
export const TRANSCRIPT = `mutation($c: ID!, $e: String) { widgetEmailTranscript(conversationId: $c, email: $e) }`;
export const ON_MESSAGE = `subscription($c: ID!, $a: ID) { widgetMessageAdded(conversationId: $c, after: $a) {
  cursor message { ${MESSAGE} } } }`;
export const ON_SIGNAL = `subscription($c: ID!) { widgetSignals(conversationId: $c) {
  type typing agent { id name } receipt upTo state queuePosition estimatedWaitSeconds } }`;
