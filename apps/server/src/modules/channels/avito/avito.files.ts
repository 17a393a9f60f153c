import { AppError } from '../../../platform/http/errors.js';
import type { FetchedFile } from '../adapter.js';
import { errorMessage } from '../channels.util.js';
import { AvitoApiError, type AvitoApi } from './avito.client.js';

/** Avito serves images and voice notes from its own hosts; nothing else is fetched on a file id's word. */
function allowed(url: URL, apiRoot: string): boolean {
  if (url.href.startsWith(`${apiRoot}/`)) return true;
  return url.protocol === 'https:' && /(^|\.)avito\.(st|ru)$/.test(url.hostname);
}

/**
 * Streams a customer's image (`image:<url>`, a size Avito listed in the message) or voice note
 * (`voice:<id>`, resolved through `getVoiceFiles`).
 */
export async function fetchAvitoFile(apiRoot: string, api: AvitoApi, fileId: string): Promise<FetchedFile> {
  let href: string | undefined;
  if (fileId.startsWith('image:')) href = fileId.slice('image:'.length);
  else if (fileId.startsWith('voice:')) {
    try {
      href = await api.voiceUrl(fileId.slice('voice:'.length));
    } catch (err) {
      if (err instanceof AvitoApiError && (err.status === 0 || err.status >= 500)) {
        throw new AppError('service_unavailable', `Avito could not be reached: ${err.message}`);
      }
      throw new AppError('provider_rejected', `Avito cannot provide this file: ${errorMessage(err)}`);
    }
  }
  let url: URL;
  try {
    url = new URL(href ?? '');
  } catch {
    throw new AppError('provider_rejected', 'Avito cannot provide this file (no download address)');
  }
  if (!allowed(url, apiRoot)) throw new AppError('provider_rejected', 'Avito cannot provide this file (unexpected address)');
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) }).catch((err: unknown) => {
    throw new AppError('service_unavailable', `Avito could not be reached: ${errorMessage(err)}`);
  });
  if (!res.ok || !res.body) throw new AppError('provider_rejected', `Avito refused the download (HTTP ${res.status})`);
  const size = Number(res.headers.get('content-length'));
  return {
    body: res.body,
    contentType: res.headers.get('content-type') ?? undefined,
    size: Number.isFinite(size) && size > 0 ? size : undefined,
  };
}
