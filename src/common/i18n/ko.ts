import { koAutomation } from './ko-automation';
import type { MessageKey } from './en';
import { koChats } from './ko-chats';
import { koChannels } from './ko-channels';
import { koEmail } from './ko-email';
import { koPages } from './ko-pages';
import { koShell } from './ko-shell';
import { koTicket } from './ko-ticket';

/** Korean strings (존댓말, 해요체). */
const koAuth = {
  'app.name': 'Sori',
  'app.tagline': '팀이 직접 운영하는 헬프데스크',
  'lang.en': 'English',
  'lang.ko': '한국어',
  'lang.switch': '언어',
  'auth.signIn': '로그인',
  'auth.signInTitle': 'Sori에 로그인',
  'auth.signInLead': '다시 오신 것을 환영해요. 상담 워크스페이스에 로그인하세요.',
  'auth.email': '이메일',
  'auth.password': '비밀번호',
  'auth.forgot': '비밀번호를 잊으셨나요?',
  'auth.signOut': '로그아웃',
  'auth.signedOut': '로그아웃되었어요.',
  'auth.forgotTitle': '비밀번호 재설정',
  'auth.forgotLead': '로그인할 때 쓰는 이메일을 입력하면 새 비밀번호를 설정할 수 있는 링크를 보내 드려요.',
  'auth.sendLink': '재설정 링크 보내기',
  'auth.linkSent': '{email} 계정이 있다면 재설정 링크를 보냈어요. 링크는 1시간 동안 유효해요.',
  'auth.backToSignIn': '로그인으로 돌아가기',
  'auth.resetTitle': '새 비밀번호 설정',
  'auth.resetLead': '10자 이상으로 정해 주세요. 다른 모든 세션은 로그아웃돼요.',
  'auth.newPassword': '새 비밀번호',
  'auth.savePassword': '비밀번호 저장',
  'auth.passwordSaved': '비밀번호를 바꿨어요. 새 비밀번호로 로그인하세요.',
  'auth.inviteTitle': 'Sori에서 팀에 합류하세요',
  'auth.inviteLead': '이름과 비밀번호를 정하면 초대를 수락할 수 있어요.',
  'auth.yourName': '이름',
  'auth.acceptInvite': '초대 수락',
  'auth.sessionExpired': '세션이 만료되었어요. 계속하려면 다시 로그인하세요.',
  'error.INVALID_CREDENTIALS': '이메일 또는 비밀번호가 올바르지 않아요.',
  'error.ACCOUNT_LOCKED':
    '비밀번호를 여러 번 틀려서 계정이 잠시 잠겼어요. 나중에 다시 시도하거나 비밀번호를 재설정하세요.',
  'error.ACCOUNT_DEACTIVATED': '관리자가 이 계정을 비활성화했어요.',
  'error.RATE_LIMITED': '시도 횟수가 너무 많아요. 몇 분 뒤에 다시 시도하세요.',
  'error.INVALID_TOKEN': '링크가 올바르지 않거나 만료되었어요. 새 링크를 요청하세요.',
  'error.CSRF_FAILED': '양식이 만료되었어요. 다시 시도해 주세요.',
  'error.VALIDATION_FAILED': '표시된 항목을 확인해 주세요.',
  'error.PASSWORD_TOO_SHORT': '비밀번호는 10자 이상이어야 해요.',
  'error.ALREADY_EXISTS': '이 이메일로 만든 계정이 이미 있어요. 로그인하세요.',
  'error.INTERNAL': '일시적인 문제가 생겼어요. 다시 시도해 주세요.',
  'error.SERVICE_UNAVAILABLE': '지금은 데이터베이스에 연결할 수 없어요. 잠시 후 다시 시도하세요.',
  'error.NOT_FOUND': '이 페이지나 항목이 없거나 볼 수 있는 권한이 없어요.',
  'error.TICKET_NOT_FOUND': '이 티켓이 없거나 볼 수 있는 권한이 없어요.',
  'error.CONTACT_NOT_FOUND': '이 고객이 없어요.',
  'error.ORGANIZATION_NOT_FOUND': '이 조직이 없어요.',
  'error.AGENT_NOT_FOUND': '이 상담원이 없거나 비활성화되었어요.',
  'error.GROUP_NOT_FOUND': '이 그룹이 없어요.',
  'error.CONVERSATION_NOT_FOUND': '이 대화가 없어요.',
  'error.ATTACHMENT_NOT_FOUND': '첨부 파일을 찾을 수 없어요. 다시 올려 주세요.',
  'error.TICKET_FIELD_NOT_FOUND': '이 티켓 필드가 없어요.',
  'error.TICKET_FORM_NOT_FOUND': '이 티켓 양식이 없거나 비활성 상태예요.',
  'error.FORBIDDEN': '이 작업을 할 권한이 없어요.',
  'error.UNAUTHENTICATED': '계속하려면 로그인하세요.',
  'error.CONFLICT': '그사이 다른 사람이 이 티켓을 바꿨어요. 최신 내용을 보여 드려요. 확인한 뒤 다시 저장하세요.',
  'error.INVALID_STATUS_TRANSITION': '지금 상태에서는 그 상태로 바꿀 수 없어요.',
  'error.PAYLOAD_TOO_LARGE': '올리기에는 너무 커요.',
  'error.BAD_USER_INPUT': '입력한 내용을 확인해 주세요.',
} as const;

export const ko: Record<MessageKey, string> = {
  ...koAuth,
  ...koShell,
  ...koTicket,
  ...koPages,
  ...koChats,
  ...koChannels,
  ...koAutomation,
  ...koEmail,
};
