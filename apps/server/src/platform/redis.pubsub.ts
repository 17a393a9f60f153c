import type { Logger } from 'pino';
import type { RedisLink } from './redis.js';

/** Sends post-commit messages of a channel (events, job wake-ups), coalesced; resolves `drain` when sent. */
export interface ChannelNotifier {
  send(channel: string, item: string): void;
  drain(): Promise<void>;
}

/**
 * The Redis counterpart of the PostgreSQL `Notifier`: items queued while a publish is in flight go out
 * together as one JSON array per channel (the format listeners already read). A publish that fails
 * (Redis down) loses only the push: the events are in PostgreSQL, and streams catch up with
 * `Last-Event-ID` when they reconnect (the bus ends them on every gap).
 */
export class RedisNotifier implements ChannelNotifier {
  private readonly pending = new Map<string, string[]>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisLink,
    private readonly log: Logger,
  ) {}

  send(channel: string, item: string): void {
    let list = this.pending.get(channel);
    if (!list) this.pending.set(channel, (list = []));
    list.push(item);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const batches = [...this.pending];
        this.pending.clear();
        await this.redis
          .run((r) => {
            const pipeline = r.pipeline();
            for (const [channel, items] of batches) pipeline.publish(this.redis.key(channel), `[${items.join(',')}]`);
            return pipeline.exec().then((results) => {
              const failed = results?.find(([err]) => err);
              if (failed) throw failed[0]!;
            });
          })
          .catch((err: unknown) => this.log.warn({ err, channels: batches.map(([c]) => c) }, 'redis publish failed'));
      }
    } finally {
      this.flushing = undefined;
    }
  }
}

/** Subscribes to channels (without the prefix) and hands each message to `dispatch`. */
export async function subscribeChannels(
  redis: RedisLink,
  channels: string[],
  dispatch: (channel: string, payload: string) => void,
): Promise<void> {
  redis.subscriber.on('message', (full: string, payload: string) => {
    if (full.startsWith(redis.prefix)) dispatch(full.slice(redis.prefix.length), payload);
  });
  const subscribed = redis.subscriber.subscribe(...channels.map((c) => redis.key(c)));
  // Down at boot: the subscription is sent once the connection is up (and again after every reconnect).
  if (redis.subscriber.status === 'ready') await subscribed;
  else subscribed.catch(() => undefined);
}
