import type { Config } from '../../config.js';
import { AppError } from '../../platform/http/errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Where deliveries may go: https always; plain http to a loopback host always (a receiver on the same
 * machine), and anywhere outside production or with `WEBHOOK_ALLOW_HTTP=true` (a receiver on a LAN).
 * Private addresses are allowed on purpose: a self-hosted install often delivers to internal systems.
 */
export function checkWebhookUrl(config: Pick<Config, 'webhookAllowHttp'>, raw: string, field = 'url'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(field, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(field, 'must be an http(s) URL');
  if (url.username || url.password) throw invalid(field, 'must not contain credentials');
  if (url.protocol === 'http:' && !config.webhookAllowHttp && !LOOPBACK.test(url.hostname)) {
    throw invalid(field, 'must use https (plain http is allowed only for localhost, or with WEBHOOK_ALLOW_HTTP=true)');
  }
  return url.toString();
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', `Invalid body: /${field} ${message}`, [{ path: `/${field}`, message }]);
}
