import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
}

/**
 * Every route Fastify serves, read from its own route tree (`printRoutes`), so a route added anywhere
 * is listed without being named here. HEAD twins of GET routes are left out.
 */
export function listRoutes(app: Pick<FastifyInstance, 'printRoutes'>): RouteEntry[] {
  const lines = app.printRoutes({ commonPrefix: false }).split('\n');
  const stack: string[] = [];
  const out: RouteEntry[] = [];
  for (const line of lines) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    const depth = at / 4;
    const rest = line.slice(at + 4);
    const match = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(rest);
    if (!match) continue;
    stack.length = depth;
    stack.push(match[1]!);
    if (!match[2]) continue;
    const url = stack.join('');
    for (const method of match[2].split(', ')) if (method !== 'HEAD') out.push({ method, url });
  }
  return out;
}
