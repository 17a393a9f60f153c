import { useEffect, useRef } from 'react';
import { onNotificationArrived } from './notifications.realtime';
import { usePreferences, useUnreadCount } from './use-notifications';

/** A short two-tone chime made on the spot (no audio file to ship or cache). */
function chime(): void {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return;
  try {
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.15, ctx.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.45);
    for (const [freq, at] of [
      [880, 0],
      [1320, 0.12],
    ] as const) {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.3);
    }
    setTimeout(() => void ctx.close(), 800);
  } catch {
    // A browser that refuses audio before any click: silence is fine.
  }
}

/**
 * While the app is open: the unread count in the tab's title (`(3) Switchboard`) and a chime on each new
 * notification — each as the person chose (sound, title count).
 */
export function useNotificationSignals(): void {
  const unread = useUnreadCount().data?.unread ?? 0;
  const settings = usePreferences().data?.settings;
  const base = useRef<string | null>(null);
  const sound = settings?.sound ?? true;
  const titleCount = settings?.titleCount ?? true;

  useEffect(() => {
    base.current ??= document.title.replace(/^\(\d+\+?\)\s*/, '');
    document.title = titleCount && unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base.current}` : base.current;
  }, [unread, titleCount]);

  useEffect(() => (sound ? onNotificationArrived(() => chime()) : undefined), [sound]);
}
