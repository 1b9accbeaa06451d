import { enChats } from './en-chats';
import { enChannels } from './en-channels';
import { enAutomation } from './en-automation';
import { enEmail } from './en-email';
import { enPages } from './en-pages';
import { enShell } from './en-shell';
import { enTicket } from './en-ticket';

/** English strings. Every key here must exist in ko.ts too (a test checks). */
const enAuth = {
  'app.name': 'Sori',
  'app.tagline': 'The helpdesk your team runs itself',
  'lang.en': 'English',
  'lang.ko': '한국어',
  'lang.switch': 'Language',
  'auth.signIn': 'Sign in',
  'auth.signInTitle': 'Sign in to Sori',
  'auth.signInLead': 'Welcome back. Sign in to your support workspace.',
  'auth.email': 'Email',
  'auth.password': 'Password',
  'auth.forgot': 'Forgot your password?',
  'auth.signOut': 'Sign out',
  'auth.signedOut': 'You have been signed out.',
  'auth.forgotTitle': 'Reset your password',
  'auth.forgotLead': 'Enter the email you sign in with and we will mail you a link to set a new password.',
  'auth.sendLink': 'Send reset link',
  'auth.linkSent': 'If an agent account uses {email}, a reset link is on its way. It is valid for one hour.',
  'auth.backToSignIn': 'Back to sign in',
  'auth.resetTitle': 'Choose a new password',
  'auth.resetLead': 'Use at least 10 characters. Every other session will be signed out.',
  'auth.newPassword': 'New password',
  'auth.savePassword': 'Save password',
  'auth.passwordSaved': 'Your password was changed. Sign in with the new one.',
  'auth.inviteTitle': 'Join your team on Sori',
  'auth.inviteLead': 'Set your name and a password to accept the invitation.',
  'auth.yourName': 'Your name',
  'auth.acceptInvite': 'Accept invitation',
  'auth.sessionExpired': 'Your session has expired. Sign in again to continue.',
  'error.INVALID_CREDENTIALS': 'Email or password is wrong.',
  'error.ACCOUNT_LOCKED':
    'Too many wrong passwords. The account is locked for a while; try later or reset the password.',
  'error.ACCOUNT_DEACTIVATED': 'This account was deactivated by an administrator.',
  'error.RATE_LIMITED': 'Too many attempts. Wait a few minutes and try again.',
  'error.INVALID_TOKEN': 'This link is invalid or has expired. Ask for a new one.',
  'error.CSRF_FAILED': 'The form expired. Please try again.',
  'error.VALIDATION_FAILED': 'Please check the highlighted fields.',
  'error.PASSWORD_TOO_SHORT': 'The password must be at least 10 characters.',
  'error.ALREADY_EXISTS': 'An account with this email already exists. Sign in instead.',
  'error.INTERNAL': 'Something went wrong on our side. Please try again.',
  'error.SERVICE_UNAVAILABLE': 'Sori cannot reach its database right now. Try again shortly.',
  'error.NOT_FOUND': 'This page or item does not exist, or you cannot see it.',
  'error.TICKET_NOT_FOUND': 'This ticket does not exist, or you cannot see it.',
  'error.CONTACT_NOT_FOUND': 'This contact does not exist.',
  'error.ORGANIZATION_NOT_FOUND': 'This organization does not exist.',
  'error.AGENT_NOT_FOUND': 'This agent does not exist or is deactivated.',
  'error.GROUP_NOT_FOUND': 'This group does not exist.',
  'error.CONVERSATION_NOT_FOUND': 'This conversation does not exist.',
  'error.ATTACHMENT_NOT_FOUND': 'An attachment was not found. Upload it again.',
  'error.TICKET_FIELD_NOT_FOUND': 'This ticket field does not exist.',
  'error.TICKET_FORM_NOT_FOUND': 'This ticket form does not exist or is inactive.',
  'error.FORBIDDEN': 'You do not have permission to do this.',
  'error.UNAUTHENTICATED': 'Sign in to continue.',
  'error.CONFLICT': 'Someone else changed this ticket meanwhile. The latest version is shown; check it and save again.',
  'error.INVALID_STATUS_TRANSITION': 'The ticket cannot move to that status from its current one.',
  'error.PAYLOAD_TOO_LARGE': 'This is too large to upload.',
  'error.BAD_USER_INPUT': 'Please check what you entered.',
} as const;

export const en = {
  ...enAuth,
  ...enShell,
  ...enTicket,
  ...enPages,
  ...enChats,
  ...enChannels,
  ...enAutomation,
  ...enEmail,
} as const;

export type MessageKey = keyof typeof en;
