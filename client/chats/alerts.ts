import { $, str } from '../dom';

let audio: AudioContext | null = null;

/** A short two-tone beep generated with WebAudio (no file to load). Browsers allow it after a first click. */
function beep(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.1);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.11);
    }
  } catch {
    // no audio output: the badge and the notification still tell
  }
}

/**
 * Sound plus, when the page is hidden and the agent allowed it, a desktop notification. Each
 * alert is counted on <html data-chat-alerts> so tests (and curious admins) can see it fired.
 */
export function alertAgent(kind: 'chat' | 'message'): void {
  const root = document.documentElement;
  root.dataset.chatAlerts = String(Number(root.dataset.chatAlerts ?? 0) + 1);
  beep();
  if (document.visibilityState !== 'hidden' || !('Notification' in window)) return;
  if (Notification.permission !== 'granted') return;
  const n = new Notification(str(kind === 'chat' ? 'chatNew' : 'chatMessage'), { tag: 'sori-chat' });
  n.onclick = () => {
    window.focus();
    location.assign('/app/chats');
  };
}

/** Permission is asked only from the agent's explicit click, never on load. */
export function initNotifyButton(): void {
  const button = $('[data-notify-enable]');
  const on = $('[data-notify-on]');
  if (!button || !('Notification' in window)) return;
  const show = () => {
    button.hidden = Notification.permission !== 'default';
    if (on) on.hidden = Notification.permission !== 'granted';
  };
  show();
  button.addEventListener('click', () => void Notification.requestPermission().then(show));
}
