import type { Config } from '../../config.js';
import { AppError } from '../../platform/http/errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Ports fetch refuses to connect to (the WHATWG "bad port" list): a delivery there could never succeed. */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

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
  if (url.port && BAD_PORTS.has(Number(url.port))) throw invalid(field, `must not use port ${url.port} (blocked for HTTP clients)`);
  if (url.protocol === 'http:' && !config.webhookAllowHttp && !LOOPBACK.test(url.hostname)) {
    throw invalid(field, 'must use https (plain http is allowed only for localhost, or with WEBHOOK_ALLOW_HTTP=true)');
  }
  return url.toString();
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', `Invalid body: /${field} ${message}`, [{ path: `/${field}`, message }]);
}
