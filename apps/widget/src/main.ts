import { Chat } from './chat.js';
import { WidgetApi, ApiError } from './api.js';

declare global {
  interface Window {
    /** Channels already started on this page (the tag included twice starts one widget). */
    __switchboardWidgets?: Record<string, true>;
  }
}

/**
 * Entry point of `/widget.js`: `<script src="https://host/widget.js" data-channel="<id>" async>`.
 * The API lives where the script came from, whatever site embeds it.
 */
function boot(): void {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]');
  const channelId = script?.dataset.channel;
  if (!script || !channelId) {
    console.warn('[switchboard] widget.js needs data-channel="<channel id>" on its script tag');
    return;
  }
  const started = (window.__switchboardWidgets ??= {});
  if (started[channelId]) return;
  started[channelId] = true;
  const origin = new URL(script.src, location.href).origin;

  const start = async () => {
    try {
      const config = await new WidgetApi(origin, channelId).config();
      await new Chat(origin, channelId, config).mount();
    } catch (err) {
      // Not allowed on this site, unknown channel, server down: the page goes on without a chat.
      delete started[channelId];
      console.warn(`[switchboard] chat widget not started: ${err instanceof ApiError || err instanceof Error ? err.message : String(err)}`);
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start(), { once: true });
  else void start();
}

boot();
