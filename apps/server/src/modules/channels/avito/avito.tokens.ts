import { sha256, type SecretBox } from '../../../platform/crypto/secret-box.js';
import type { ChannelRecord } from '../adapter.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import { errorMessage } from '../channels.util.js';
import { AvitoApiError, AvitoAuthError, avitoReason, retryAfterOf, type TokenSource } from './avito.client.js';
import type { AvitoRepository } from './avito.repository.js';

/** The channel's sealed credentials: what the operator gave and what Avito issued. */
export interface AvitoSecrets {
  clientSecret: string;
  authorizationCode?: string;
  /** sha256 of the authorization code already exchanged: codes are single-use, reconnecting must not replay it. */
  exchangedCode?: string;
  accessToken?: string;
  /** Epoch ms. */
  accessTokenExpiresAt?: number;
  /** Authorization-code flow only; Avito rotates it on every refresh. */
  refreshToken?: string;
  /** The webhook URL Avito posts to (it carries the webhook secret, hence sealed). */
  subscribedUrl?: string;
}

/** Renew this long before Avito's expiry (tokens live 24 h). */
const EARLY_MS = 5 * 60_000;

interface Grant {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
}

const fresh = (expiresAt: number | undefined) => typeof expiresAt === 'number' && expiresAt - EARLY_MS > Date.now();

/** `POST /token` (form body). Rejected credentials → `AvitoAuthError` with Avito's reason. */
async function requestToken(root: string, params: Record<string, string>): Promise<Grant> {
  let res: Response;
  try {
    res = await fetch(`${root}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new AvitoApiError(0, `Avito unreachable: ${errorMessage(err)}`);
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = text.slice(0, 300);
  }
  if (res.status === 429) throw new AvitoApiError(429, `Avito: ${avitoReason(body, 429)}`, retryAfterOf(res.headers));
  if (res.status >= 500 || res.status === 408) throw new AvitoApiError(res.status, `Avito: ${avitoReason(body, res.status)}`);
  const grant = body as Partial<Grant> | null;
  if (!res.ok || typeof grant?.access_token !== 'string' || !grant.access_token) {
    throw new AvitoAuthError(`Avito rejected the credentials: ${avitoReason(body, res.status)}`);
  }
  return grant as Grant;
}

/**
 * Obtains a token for the channel's credentials: exchanges a new authorization code, refreshes
 * with the (rotating) refresh token, or uses client credentials. Returns the secrets to keep.
 */
export async function grantToken(root: string, config: Record<string, unknown>, secrets: AvitoSecrets): Promise<AvitoSecrets> {
  const client = { client_id: String(config.clientId), client_secret: secrets.clientSecret };
  const code = secrets.authorizationCode;
  let grant: Grant;
  let exchanged = secrets.exchangedCode;
  if (code && sha256(code) !== secrets.exchangedCode) {
    grant = await requestToken(root, {
      grant_type: 'authorization_code',
      ...client,
      code,
      ...(typeof config.redirectUri === 'string' ? { redirect_uri: config.redirectUri } : {}),
    });
    exchanged = sha256(code);
  } else if (secrets.refreshToken) {
    grant = await requestToken(root, { grant_type: 'refresh_token', ...client, refresh_token: secrets.refreshToken });
  } else {
    grant = await requestToken(root, { grant_type: 'client_credentials', ...client });
  }
  return {
    ...secrets,
    accessToken: grant.access_token,
    accessTokenExpiresAt: Date.now() + (grant.expires_in ?? 86_400) * 1000,
    ...(grant.refresh_token ? { refreshToken: grant.refresh_token } : {}),
    ...(exchanged ? { exchangedCode: exchanged } : {}),
  };
}

/**
 * Access tokens of live channels: kept in memory and in the sealed secrets, renewed shortly before
 * expiry or when Avito answers 403. One renewal per channel at a time: in a process (shared promise)
 * and across processes (an advisory lock, then a re-read, so a rotated refresh token is never replayed).
 */
export class AvitoTokens {
  private readonly current = new Map<string, { token: string; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly box: SecretBox,
    private readonly runtime: ChannelRuntime,
    private readonly repo: AvitoRepository,
  ) {}

  /** Remembers the token a (re)connect obtained; the credentials may have changed. */
  prime(channelId: string, secrets: AvitoSecrets): void {
    if (secrets.accessToken) this.current.set(channelId, { token: secrets.accessToken, expiresAt: secrets.accessTokenExpiresAt ?? 0 });
  }

  forget(channelId: string): void {
    this.current.delete(channelId);
  }

  source(channel: ChannelRecord, secrets: AvitoSecrets): TokenSource {
    return {
      token: () => this.token(channel, secrets),
      renew: (stale) => this.renew(channel, stale),
    };
  }

  private async token(channel: ChannelRecord, secrets: AvitoSecrets): Promise<string> {
    const mem = this.current.get(channel.id);
    if (mem && fresh(mem.expiresAt)) return mem.token;
    if (secrets.accessToken && fresh(secrets.accessTokenExpiresAt) && secrets.accessToken !== mem?.token) {
      this.prime(channel.id, secrets);
      return secrets.accessToken;
    }
    return this.renew(channel, mem?.token ?? secrets.accessToken);
  }

  /** A token other than `stale` (the one Avito refused or that is about to expire). */
  renew(channel: ChannelRecord, stale: string | undefined): Promise<string> {
    const mem = this.current.get(channel.id);
    if (mem && mem.token !== stale && fresh(mem.expiresAt)) return Promise.resolve(mem.token);
    let flight = this.inflight.get(channel.id);
    if (!flight) {
      flight = this.renewLocked(channel, stale).finally(() => this.inflight.delete(channel.id));
      this.inflight.set(channel.id, flight);
    }
    return flight;
  }

  private async renewLocked(channel: ChannelRecord, stale: string | undefined): Promise<string> {
    const token = await this.repo.withTokenLock(channel.id, async (row, save) => {
      if (!row) throw new AvitoAuthError('Avito: the channel was deleted');
      const stored = this.box.open<AvitoSecrets>(row.sealed);
      // Another process renewed while we waited for the lock: use its token.
      if (stored.accessToken && stored.accessToken !== stale && fresh(stored.accessTokenExpiresAt)) {
        this.prime(channel.id, stored);
        return stored.accessToken;
      }
      const next = await grantToken(this.root, row.config, stored);
      await save(this.box.seal(next));
      this.prime(channel.id, next);
      return next.accessToken!;
    });
    this.runtime.forget(channel.id); // the next load opens the new secrets
    return token;
  }
}
