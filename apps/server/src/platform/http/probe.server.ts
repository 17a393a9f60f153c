import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { App } from './server.js';

const PROBE_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * The HTTP face of a process without the `api` role (a worker or a scheduler): only `/health`, `/ready`
 * and `/metrics`, answered by the app's own routes (same checks, same metrics access rules), so that an
 * orchestrator can probe it and Prometheus can scrape the job metrics that live in it. Anything else is 404.
 */
export async function startProbeServer(app: App, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' || !PROBE_PATHS.has(path)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"Not found"}}');
      return;
    }
    app.inject({ method: 'GET', url: req.url!, headers: forwardable(req.headers), remoteAddress: req.socket.remoteAddress ?? '' }).then(
      (answer) => res.writeHead(answer.statusCode, answer.headers as Record<string, string>).end(answer.rawPayload),
      () => res.writeHead(500).end(),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

function forwardable(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') out[k] = v;
  return out;
}
