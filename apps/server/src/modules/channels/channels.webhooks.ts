import type { AppContext } from '../../context.js';
import type { App } from '../../platform/http/server.js';
import type { ChannelRuntime } from './channels.runtime.js';
import { avitoWebhookRoute } from './avito/avito.webhook.js';
import { telegramWebhookRoute } from './telegram/telegram.webhook.js';
import { widgetRoutes } from './widget/widget.routes.js';
import { apiChannelRoutes } from './api/api.routes.js';
import { whatsappWebhookRoutes } from './whatsapp/whatsapp.webhook.js';
import { greenApiWebhookRoute } from './green-api/green-api.webhook.js';

/** Provider webhooks, all under `/webhooks/<type>/<channelId>…`; each stores before it acknowledges. */
export function channelWebhookRoutes(app: App, ctx: AppContext, runtime: ChannelRuntime): void {
  telegramWebhookRoute(app, ctx, runtime);
  widgetRoutes(app, ctx, runtime);
  avitoWebhookRoute(app, ctx, runtime);
  apiChannelRoutes(app, ctx, runtime);
  whatsappWebhookRoutes(app, ctx, runtime);
  greenApiWebhookRoute(app, ctx, runtime);
}
