import { ApiClient } from '../../apps/server/test/support/api-client.js';
import type { FakeTelegram } from '../../apps/server/test/fakes/telegram.js';
import { OWNER } from './server.js';

export interface BenchBot {
  token: string;
  channelId: string;
  /** Path of the channel's webhook on the server, as registered with (fake) Telegram. */
  webhookPath: string;
  secret: string;
}

export async function signInOwner(baseUrl: string): Promise<ApiClient> {
  const owner = new ApiClient(baseUrl);
  const res = await owner.login(OWNER.email, OWNER.password);
  if (res.status !== 200) throw new Error(`owner login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return owner;
}

/** Creates `count` Telegram channels in webhook mode, each with its own bot on the fake. */
export async function createWebhookBots(owner: ApiClient, telegram: FakeTelegram, count: number): Promise<BenchBot[]> {
  const bots: BenchBot[] = [];
  for (let i = 0; i < count; i++) {
    const token = telegram.addBot(`bench${i}_bot`);
    const res = await owner.post('/api/channels', {
      type: 'telegram',
      name: `Bench bot ${i}`,
      config: { botToken: token, mode: 'webhook' },
    });
    if (res.status !== 201 || res.body.status !== 'connected')
      throw new Error(`channel not created: ${res.status} ${JSON.stringify(res.body)}`);
    const hook = telegram.bot(token).webhook;
    if (!hook?.secret) throw new Error('the server did not register a webhook with a secret');
    const url = new URL(hook.url);
    if (url.origin !== owner.baseUrl) throw new Error(`webhook registered at ${hook.url}, not on ${owner.baseUrl} (PUBLIC_URL?)`);
    bots.push({ token, channelId: res.body.id, webhookPath: url.pathname, secret: hook.secret });
  }
  return bots;
}

/** A private-chat text update as Telegram sends it, with explicit ids (unique per run). */
export function textUpdate(updateId: number, chatId: number, messageId: number, text: string): string {
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: messageId,
      from: { id: chatId, is_bot: false, first_name: `Customer ${chatId}`, language_code: 'en' },
      chat: { id: chatId, first_name: `Customer ${chatId}`, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  });
}
