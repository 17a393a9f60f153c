import type { AppContext } from '../../context.js';
import type { ChannelAdapter } from './adapter.js';
import type { ChannelRuntime } from './channels.runtime.js';
import { AvitoAdapter } from './avito/avito.adapter.js';
import { TelegramAdapter } from './telegram/telegram.adapter.js';
import { EmailAdapter } from './email/email.adapter.js';
import { WidgetAdapter } from './widget/widget.adapter.js';
import { ApiAdapter } from './api/api.adapter.js';
import { WhatsappCloudAdapter } from './whatsapp/whatsapp.adapter.js';
import { GreenApiAdapter } from './green-api/green-api.adapter.js';

/** Every channel type the product speaks: one adapter each (see `adapter.ts` for the contract). */
export function createAdapters(ctx: AppContext, runtime: ChannelRuntime): ChannelAdapter<never>[] {
  return [
    new TelegramAdapter(ctx, runtime),
    new WidgetAdapter(ctx),
    new AvitoAdapter(ctx, runtime),
    new WhatsappCloudAdapter(ctx, runtime),
    new GreenApiAdapter(ctx, runtime),
    new ApiAdapter(ctx, runtime),
    new EmailAdapter(ctx, runtime),
  ];
}
