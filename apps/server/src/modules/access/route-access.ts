import type { App } from '../../platform/http/server.js';

/** One route as registered with Fastify, and the access it declares. */
export interface RouteAccess {
  method: string;
  url: string;
  public: boolean;
  permission: string | undefined;
}

const registries = new WeakMap<App, RouteAccess[]>();

/**
 * Records every route registered from now on, with the access it declares (`config.public` or
 * `config.permission`): the route × role test walks this list, so a route without a declaration fails it.
 */
export function recordRouteAccess(app: App): void {
  const routes: RouteAccess[] = [];
  registries.set(app, routes);
  app.addHook('onRoute', (opts) => {
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    const config = (opts.config ?? {}) as { public?: boolean; permission?: string };
    // The OpenAPI document tells integrators what each operation needs.
    if (config.permission && opts.schema) {
      const note = config.permission === 'signed_in' ? 'Any signed-in member.' : `Requires the permission \`${config.permission}\`.`;
      const schema = opts.schema as { description?: string };
      schema.description = schema.description ? `${schema.description}\n\n${note}` : note;
    }
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({ method, url: opts.url, public: config.public === true, permission: config.permission });
    }
  });
}

/** The routes `recordRouteAccess` saw on this server. */
export function routeAccessOf(app: App): readonly RouteAccess[] {
  return registries.get(app) ?? [];
}
