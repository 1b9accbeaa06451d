import { initChats } from './chats';
import { initChrome } from './chrome';
import { initBulk } from './inbox/bulk';
import { initInboxLive } from './inbox/live-list';
import { initWidgetEditor } from './settings/widget-editor';
import { initShortcuts } from './shortcuts';
import { initTicket } from './ticket';

document.documentElement.classList.add('js');

function start(): void {
  initChrome();
  initBulk();
  initInboxLive();
  initTicket();
  initChats();
  initShortcuts();
  initWidgetEditor();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
