import type { Attachment, ChannelType } from '@switchboard/shared';

/** A channel row as adapters see it (credentials are passed separately, opened). */
export interface ChannelRecord {
  id: string;
  accountId: string;
  type: ChannelType;
  name: string;
  /** Non-secret settings (returned by the API). */
  config: Record<string, unknown>;
}

/** One inbound customer message, normalised from any provider. */
export interface InboundMessage {
  /** Provider's stable id of the message, unique per channel (dedup key). */
  externalId: string;
  /** Where replies go (chat id, phone, e-mail address…). */
  chatId: string;
  contact: { externalId: string; name: string | null; username: string | null };
  text: string | null;
  attachments: Attachment[];
  sentAt: Date;
  /** An edit of a message we may already hold. */
  edited: boolean;
  /**
   * Separates several conversations of one contact on one channel (an Avito chat per listing, an
   * e-mail thread); empty or absent where a contact has one conversation per channel.
   */
  threadKey?: string;
  /** External ids of earlier messages this one answers (e-mail References): joins their conversation. */
  threadRefs?: string[];
  /** Merged into the conversation's context (listing, subject, threading headers). */
  context?: Record<string, unknown>;
  /** Kept on the message (provider specifics shown or needed later). */
  meta?: Record<string, unknown>;
}

/** What an adapter is asked to deliver. */
export interface OutboundMessage {
  id: string;
  text: string;
  /** The conversation's `externalChatId`. */
  chatId: string;
  threadKey: string;
  /** The conversation's context as inbound messages left it (e-mail: subject, Message-IDs to answer). */
  context: Record<string, unknown> | null;
}

export interface SendResult {
  /** Provider's id of what was sent (several joined with `,` when a reply was split). */
  externalId: string;
  /** Kept on the message (e-mail Message-ID and headers). */
  meta?: Record<string, unknown>;
  /** Merged into the conversation's context (e-mail: the references chain grows). */
  context?: Record<string, unknown>;
}

/** Why a send failed, in the terms the delivery job acts on. */
export class SendError extends Error {
  constructor(
    readonly kind: 'retryable' | 'permanent' | 'rate_limited' | 'auth',
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface ConnectResult {
  status: 'connected' | 'webhook_not_set' | 'auth_failed';
  statusReason: string | null;
  /** Non-secret facts learnt while connecting (bot username, webhook URL…), merged into config. */
  config: Record<string, unknown>;
  /** Credentials obtained while connecting (OAuth tokens), merged into the sealed secrets. */
  secrets?: Record<string, unknown>;
}

/** Throttle a provider documents: minimum spacing per chat and per channel (bot, number, account). */
export interface SendThrottle {
  perChatMs: number;
  perChannelMs: number;
}

export interface FetchedFile {
  body: ReadableStream<Uint8Array>;
  contentType: string | undefined;
  size: number | undefined;
}

/** What a poll loop gets: its channel (re-read when settings change) and a way to keep state. */
export interface PollSession {
  channelId: string;
  accountId: string;
  signal: AbortSignal;
}

/**
 * One provider behind one interface. Secrets are the channel's sealed credentials, opened; every
 * adapter declares which of its config fields are secrets (`secretFields`) so the generic create and
 * update flow can split a request into stored settings and sealed credentials.
 */
export interface ChannelAdapter<Secrets = Record<string, unknown>> {
  readonly type: ChannelType;
  readonly throttle: SendThrottle;
  /** Config fields stored sealed, never returned. */
  readonly secretFields: readonly string[];
  /** Config fields of this type that change without reconnecting (beyond the assistant switch and alert settings, soft for all). */
  readonly softFields?: readonly string[];
  /**
   * Where each credential is sent, given the channel's settings (`{ apiTokenInstance: 'https://host' }`):
   * a change that moves one elsewhere must send it again (`credential_required`).
   */
  credentialTargets?(config: Record<string, unknown>): Record<string, string>;
  /** Checks credentials (throws `provider_rejected` / `service_unavailable`) and registers inbound delivery. */
  connect(channel: ChannelRecord, secrets: Secrets, webhookSecret: string): Promise<ConnectResult>;
  disconnect(channel: ChannelRecord, secrets: Secrets): Promise<void>;
  send(channel: ChannelRecord, secrets: Secrets, message: OutboundMessage): Promise<SendResult>;
  /** Streams a customer's file from the provider (we keep only its id). */
  fetchFile?(channel: ChannelRecord, secrets: Secrets, fileId: string): Promise<FetchedFile>;
  /** Tells the provider an operator has read the conversation (Avito "read"). */
  markRead?(channel: ChannelRecord, secrets: Secrets, chatId: string): Promise<void>;
  /** Whether this channel needs a poll loop (polling mode, IMAP, a backfill poller). */
  polls?(config: Record<string, unknown>): boolean;
  /**
   * Runs until `session.signal` aborts: fetches what arrived and ingests it. The poller framework
   * holds the channel's lock (one process per channel), restarts the loop when it throws and marks
   * the channel `poller_lagging` meanwhile; a `SendError` of kind `auth` marks it `auth_failed` instead,
   * which stops its polling until it is reconnected.
   */
  poll?(session: PollSession): Promise<void>;
}
