import type { Attachment } from '@switchboard/shared';

/** A channel row as adapters see it, with its credentials opened. */
export interface ChannelRecord {
  id: string;
  accountId: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
}

/** One inbound customer message, normalised from any provider. */
export interface InboundMessage {
  /** Provider's stable id of the message, unique per channel (dedup key). */
  externalId: string;
  /** Where replies go (chat id). */
  chatId: string;
  contact: { externalId: string; name: string | null; username: string | null };
  text: string | null;
  attachments: Attachment[];
  sentAt: Date;
  /** An edit of a message we may already hold. */
  edited: boolean;
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
  /** Non-secret facts learnt while connecting (bot username…), merged into config. */
  config: Record<string, unknown>;
}

/** Throttle a provider documents: minimum spacing per chat and per channel (bot). */
export interface SendThrottle {
  perChatMs: number;
  perChannelMs: number;
}

export interface ChannelAdapter<Secrets> {
  readonly type: string;
  readonly throttle: SendThrottle;
  /** Checks credentials (rejects with `ProviderRejected`) and registers inbound delivery. */
  connect(channel: ChannelRecord, secrets: Secrets, webhookSecret: string): Promise<ConnectResult>;
  disconnect(channel: ChannelRecord, secrets: Secrets): Promise<void>;
  send(channel: ChannelRecord, secrets: Secrets, chatId: string, text: string): Promise<{ externalId: string }>;
  /** Streams a customer's file from the provider (we keep only its id). */
  fetchFile(channel: ChannelRecord, secrets: Secrets, fileId: string): Promise<FetchedFile>;
}

export interface FetchedFile {
  body: ReadableStream<Uint8Array>;
  contentType: string | undefined;
  size: number | undefined;
}
