import client from 'prom-client';
import { registry } from '../../platform/metrics.js';

/** Webhook delivery attempts by outcome (delivered, retry, dead). */
export const webhooksTotal = new client.Counter({
  name: 'switchboard_webhook_attempts_total',
  help: 'Outbound webhook delivery attempts by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
