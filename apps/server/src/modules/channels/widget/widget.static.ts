import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../platform/http/errors.js';
import type { App } from '../../../platform/http/server.js';
import { demoPage } from './widget.demo.js';
import type { WidgetService } from './widget.service.js';

interface Bundle {
  code: Buffer;
  gzipped: Buffer;
  etag: string;
}

/** `apps/widget` from the bundled server (`apps/server/dist`) or from its sources. */
function widgetRoots(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.resolve(here, '../../widget'), path.resolve(here, '../../../../../widget')];
}

/**
 * The widget script: the built `apps/widget/dist/widget.js` in production; elsewhere bundled from
 * its sources on first use (so development and tests never serve a stale build).
 */
async function loadBundle(ctx: AppContext): Promise<Buffer> {
  const roots = widgetRoots();
  if (ctx.config.env !== 'production') {
    const root = roots.find((r) => existsSync(path.join(r, 'src/main.ts')) && existsSync(path.join(r, 'bundle.mjs')));
    if (root) {
      try {
        const mod = (await import(pathToFileURL(path.join(root, 'bundle.mjs')).href)) as { bundleWidget(): Promise<string> };
        return Buffer.from(await mod.bundleWidget());
      } catch (err) {
        ctx.log.warn({ err }, 'could not bundle the widget from its sources; serving the built file');
      }
    }
  }
  const file = roots.map((r) => path.join(r, 'dist/widget.js')).find((f) => existsSync(f));
  if (!file) throw new AppError('not_found', 'The widget is not built: run `npm run build`');
  return readFile(file);
}

/** `GET /widget.js` (the embeddable script, any site may load it) and `GET /widget/demo/:channelId`. */
export function widgetStaticRoutes(app: App, ctx: AppContext, service: WidgetService): void {
  let bundle: Promise<Bundle> | undefined;
  const load = () =>
    (bundle ??= loadBundle(ctx).then((code) => ({
      code,
      gzipped: gzipSync(code, { level: 9 }),
      etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"`,
    }))).catch((err: unknown) => {
      bundle = undefined; // built later: the next request tries again
      throw err;
    });

  app.get('/widget.js', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const { code, gzipped, etag } = await load();
    void reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('etag', etag)
      .header('vary', 'accept-encoding')
      .header('access-control-allow-origin', '*')
      // Loaded by a <script> tag on other sites (helmet's default would block that).
      .header('cross-origin-resource-policy', 'cross-origin');
    if (req.headers['if-none-match'] === etag) return reply.status(304).send();
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(gzipped);
    return reply.send(code);
  });

  app.get(
    '/widget/demo/:channelId',
    { config: { public: true }, schema: { hide: true, params: z.object({ channelId: z.string().max(64) }) } },
    async (req, reply) => {
      const channel = await service.channel(req.params.channelId);
      const { locale } = service.publicConfig(channel);
      return reply.type('text/html; charset=utf-8').send(demoPage({ channelId: channel.record.id, name: channel.record.name, locale }));
    },
  );
}
