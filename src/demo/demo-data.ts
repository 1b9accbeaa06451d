/** Demo customers' tickets: a realistic mix of languages, channels, statuses and priorities. */
export interface DemoTicket {
  subject: string;
  name: string;
  email: string;
  channel: string;
  priority: string;
  status: string;
  group: string;
  assignee?: string;
  tags: string[];
  body: string;
  /** The assignee's answer, when the ticket has moved on from the first message. */
  reply?: string;
  /** The customer's answer to the reply. */
  followUp?: string;
  /** An internal note by the assignee. */
  note?: string;
}

export const demoTickets: DemoTicket[] = [
  {
    subject: '결제는 됐는데 주문 내역이 안 보여요',
    name: '이서연',
    email: 'seoyeon.lee@example.kr',
    channel: 'email',
    priority: 'high',
    status: 'open',
    group: 'Billing',
    assignee: 'jiwoo@demo.sori.dev',
    tags: ['결제', 'order'],
    body: '어제 저녁에 카드로 결제했는데 주문 내역에 아무것도 없어요. 카드사 문자는 받았어요. 확인 부탁드려요.',
    reply:
      '불편을 드려 죄송해요. 결제 내역을 확인해 보니 주문 생성 중에 오류가 있었어요. 지금 주문을 다시 만들어 드릴게요.',
    followUp: '감사합니다! 주문 번호도 알려 주실 수 있나요?',
    note: 'PG사 웹훅이 어제 21시쯤 실패했어요. 같은 시간대 결제 건을 더 확인해야 해요.',
  },
  {
    subject: 'Refund for duplicate charge',
    name: 'Daniel Carter',
    email: 'daniel@northwind.example',
    channel: 'email',
    priority: 'urgent',
    status: 'open',
    group: 'Billing',
    assignee: 'minjun@demo.sori.dev',
    tags: ['refund', 'billing'],
    body: 'Hi, I was charged twice for my March invoice (INV-20931). Could you refund the duplicate charge?',
    reply: 'Sorry about that, Daniel. I can see both charges; I have started the refund of the duplicate one.',
    followUp: 'Thanks. How long until it shows up on my card?',
    note: 'Refund issued in Stripe (re_3PxK). Usually 5–10 business days.',
  },
  {
    subject: '환불 요청합니다',
    name: '최도윤',
    email: 'doyoon.choi@example.kr',
    channel: 'widget',
    priority: 'normal',
    status: 'pending',
    group: 'Billing',
    assignee: 'jiwoo@demo.sori.dev',
    tags: ['환불'],
    body: '사이즈가 맞지 않아서 환불을 요청합니다. 포장은 뜯지 않았어요.',
    reply: '반품 접수해 드렸어요. 택배 기사님이 내일 방문할 예정이에요. 상품이 도착하면 바로 환불해 드릴게요.',
  },
  {
    subject: 'Cannot log in after password reset',
    name: 'Priya Natarajan',
    email: 'priya@contoso.example',
    channel: 'widget',
    priority: 'high',
    status: 'new',
    group: 'Support',
    tags: ['login'],
    body: 'I reset my password but the new one is rejected. I tried twice in Chrome and Safari.',
  },
  {
    subject: '배송이 일주일째 지연되고 있어요',
    name: '김하은',
    email: 'haeun.kim@example.kr',
    channel: 'whatsapp',
    priority: 'normal',
    status: 'open',
    group: 'Support',
    assignee: 'minjun@demo.sori.dev',
    tags: ['배송', 'delay'],
    body: '주문번호 2024-11873 배송이 일주일째 출고 준비 중이에요. 언제 받을 수 있을까요?',
  },
  {
    subject: 'Question about the Team plan',
    name: 'Marta Kowalska',
    email: 'marta@fabrikam.example',
    channel: 'email',
    priority: 'low',
    status: 'solved',
    group: 'Support',
    assignee: 'sarah@demo.sori.dev',
    tags: ['sales', 'plan'],
    body: 'Does the Team plan include SSO, or is that only in Enterprise?',
  },
  {
    subject: 'App crashes when uploading a photo',
    name: 'Kenji Watanabe',
    email: 'kenji@example.jp',
    channel: 'telegram',
    priority: 'high',
    status: 'open',
    group: 'Support',
    assignee: 'sarah@demo.sori.dev',
    tags: ['bug', 'ios'],
    body: 'On iOS 18 the app closes as soon as I pick a photo larger than 10 MB.',
    reply: 'Thanks for the report, Kenji. Could you tell us which app version you are on (Settings → About)?',
    followUp: 'It is 4.12.0 from the App Store.',
  },
  {
    subject: '세금계산서 발행 문의',
    name: '정우진',
    email: 'woojin@example.co.kr',
    channel: 'email',
    priority: 'normal',
    status: 'on_hold',
    group: 'Billing',
    tags: ['세금계산서', 'invoice'],
    body: '지난달 결제 건 세금계산서를 사업자 번호로 다시 발행해 주실 수 있나요?',
  },
  {
    subject: 'Feature request: dark mode for the widget',
    name: 'Lucas Oliveira',
    email: 'lucas@example.br',
    channel: 'widget',
    priority: 'low',
    status: 'new',
    group: 'Support',
    tags: ['feature-request'],
    body: 'Our site is dark; the chat widget looks very bright. Any plans for a dark theme?',
  },
  {
    subject: '비밀번호 재설정 메일이 오지 않아요',
    name: '윤지민',
    email: 'jimin.yoon@example.kr',
    channel: 'line',
    priority: 'normal',
    status: 'new',
    group: 'Support',
    tags: ['로그인'],
    body: '비밀번호 재설정을 눌렀는데 메일이 안 와요. 스팸함도 확인했어요.',
  },
  {
    subject: 'Invoice shows the wrong company address',
    name: 'Emma Schmidt',
    email: 'emma@adatum.example',
    channel: 'email',
    priority: 'normal',
    status: 'pending',
    group: 'Billing',
    assignee: 'minjun@demo.sori.dev',
    tags: ['invoice'],
    body: 'Our invoices still show our old address in Berlin. Please update it to Hamburg.',
  },
  {
    subject: 'Thanks for the quick help!',
    name: 'Noah Kim',
    email: 'noah@example.com',
    channel: 'messenger',
    priority: 'low',
    status: 'solved',
    group: 'Support',
    assignee: 'sarah@demo.sori.dev',
    tags: ['feedback'],
    body: 'Just wanted to say thanks, everything works now.',
  },
];
