import type { ImapFlow, MailboxObject } from 'imapflow';
import { SendError, type PollSession } from '../adapter.js';
import type { LoadedChannel } from '../channels.runtime.js';
import type { EmailAdapter } from './email.adapter.js';
import { imapClient, imapFailure } from './email.imap.js';
import { receiveEmail } from './email.receive.js';
import { emailSettings, mailboxKey, type EmailSecrets, type EmailSettings } from './email.settings.js';
import { megabytes } from './email.text.js';

/** Where reading the mailbox stands, kept in `channels.state.imap`. */
export interface MailboxCursor {
  /** The mailbox these UIDs belong to (host, user, folder). */
  mailbox: string;
  uidValidity: number;
  /** Every message up to this UID is stored (or was deliberately skipped). */
  lastUid: number;
  /** When the channel started watching this mailbox: a resync never reads mail older than that. */
  since: string;
  /** A resync after a UIDVALIDITY change is under way (survives a restart half-way). */
  resync?: boolean;
}

/** Bigger messages are not downloaded: their headers make a message saying where to find it. */
const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;
const DAY_MS = 86_400_000;

/**
 * The IMAP loop of one e-mail channel: connects, catches up by UID from the stored cursor, then waits
 * in IDLE and catches up on every EXISTS. Returns when the server closes the connection (the poller
 * framework reconnects shortly and the next connection catches up again); throws on failures.
 */
export async function pollMailbox(adapter: EmailAdapter, session: PollSession): Promise<void> {
  const { runtime } = adapter;
  const channel = await runtime.load(session.accountId, session.channelId);
  if (!channel || session.signal.aborted) return;
  const settings = emailSettings(channel.record.config);
  const client = await imapClient(adapter.ctx.outbound, settings, channel.secrets as unknown as EmailSecrets);
  let lost: unknown;
  client.on('error', (err) => (lost ??= err));
  const closed = new Promise<void>((resolve) => client.once('close', resolve));
  const abort = () => client.close();
  session.signal.addEventListener('abort', abort, { once: true });
  try {
    try {
      await client.connect();
    } catch (err) {
      const failure = imapFailure(err);
      if (failure.kind !== 'auth') throw new Error(`IMAP ${settings.imapHost}:${settings.imapPort}: ${failure.message}`);
      throw new SendError('auth', `IMAP login rejected: ${failure.message}`); // the poller framework marks the channel auth_failed
    }
    const mailbox = await client.mailboxOpen(settings.imapMailbox).catch((err: unknown) => {
      throw new Error(`IMAP mailbox ${settings.imapMailbox}: ${imapFailure(err).message}`);
    });
    const cursor = await startingCursor(adapter, channel, settings, mailbox);
    const sync = new MailboxSync(adapter, channel, client, session, settings.imapMailbox, cursor);
    client.on('exists', () => sync.kick());
    client.on('mailboxOpen', () => sync.kick()); // a re-select, possibly with a new UIDVALIDITY
    await sync.run();
    const timer = setInterval(() => sync.kick({ reselect: true }), adapter.heartbeatMs);
    try {
      await Promise.race([closed, sync.failed]);
    } finally {
      clearInterval(timer);
    }
    if (session.signal.aborted) return;
    if (sync.error) throw sync.error;
    if (lost) throw new Error(`IMAP connection lost: ${imapFailure(lost).message}`);
    // Closed by the server (BYE, idle timeout): the framework calls again and we catch up.
  } finally {
    session.signal.removeEventListener('abort', abort);
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

/**
 * The cursor to continue from. A mailbox watched for the first time starts where it stood when the
 * channel was connected (or now): importing years of history would flood the inbox with old
 * conversations and have the bot answer people who wrote long ago.
 */
async function startingCursor(adapter: EmailAdapter, channel: LoadedChannel, s: EmailSettings, mailbox: MailboxObject) {
  const stored = (await adapter.runtime.state(channel.record.id)).imap as MailboxCursor | undefined;
  const key = mailboxKey(s);
  if (stored?.mailbox === key) return stored;
  const uidValidity = Number(mailbox.uidValidity);
  const atConnect = channel.record.config;
  const uidNext =
    atConnect.imapUidValidity === uidValidity && typeof atConnect.imapUidNext === 'number' ? atConnect.imapUidNext : mailbox.uidNext;
  const cursor: MailboxCursor = { mailbox: key, uidValidity, lastUid: Math.max(0, uidNext - 1), since: new Date().toISOString() };
  await adapter.runtime.saveState(channel.record.id, { imap: cursor });
  return cursor;
}

/** Catch-up rounds of one connection, one at a time; an EXISTS during a round asks for another. */
class MailboxSync {
  error: Error | undefined;
  readonly failed: Promise<void>;
  private fail!: () => void;
  private current: Promise<void> | null = null;
  private again = false;
  private reselect = false;

  constructor(
    private readonly adapter: EmailAdapter,
    private readonly channel: LoadedChannel,
    private readonly client: ImapFlow,
    private readonly session: PollSession,
    private readonly mailboxPath: string,
    private cursor: MailboxCursor,
  ) {
    this.failed = new Promise((resolve) => (this.fail = resolve));
  }

  /**
   * A catch-up from an event or the timer; a failure ends the connection (see `failed`). `reselect`
   * selects the mailbox again first: a server does not always tell an idling session that its
   * mailbox was deleted and recreated, a fresh SELECT shows the new UIDVALIDITY.
   */
  kick(opts: { reselect?: boolean } = {}): void {
    if (opts.reselect) this.reselect = true;
    this.run().catch((err: unknown) => {
      this.error ??= err instanceof Error ? err : new Error(String(err));
      this.fail();
    });
  }

  /** Runs rounds until nothing new was announced meanwhile; joins the rounds already running. */
  run(): Promise<void> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = (async () => {
      try {
        do {
          this.again = false;
          // The lock keeps imapflow from slipping into IDLE between our commands of one round.
          const lock = await this.client.getMailboxLock(this.mailboxPath);
          try {
            if (this.reselect) {
              this.reselect = false;
              await this.client.mailboxOpen(this.mailboxPath);
            }
            await this.round();
          } finally {
            lock.release();
          }
        } while (this.again && !this.session.signal.aborted);
      } finally {
        this.current = null;
      }
    })();
    return this.current;
  }

  /** Reads every message above the cursor, in UID order, storing the cursor after each. */
  private async round(): Promise<void> {
    const { runtime, ctx } = this.adapter;
    const { id, accountId } = this.channel.record;
    const mailbox = this.client.mailbox;
    if (!mailbox) throw new Error('IMAP mailbox is no longer selected');
    const uidValidity = Number(mailbox.uidValidity);
    if (uidValidity !== this.cursor.uidValidity) {
      // The mailbox was recreated (or restored): old UIDs mean nothing. Read it again from the start;
      // messages already stored are dropped as duplicates by their Message-ID.
      ctx.log.warn(
        { channelId: id, mailbox: mailbox.path, was: this.cursor.uidValidity, now: uidValidity },
        'IMAP UIDVALIDITY changed; re-reading the mailbox',
      );
      await this.save({ ...this.cursor, uidValidity, lastUid: 0, resync: true });
    }
    const since = this.cursor.resync ? new Date(Date.parse(this.cursor.since) - DAY_MS) : undefined;
    const found = await this.client.search({ uid: `${this.cursor.lastUid + 1}:*`, ...(since ? { since } : {}) }, { uid: true });
    // `n:*` always matches the highest UID, even below n.
    const uids = (found || []).filter((uid) => uid > this.cursor.lastUid).sort((a, b) => a - b);
    for (const uid of uids) {
      if (this.session.signal.aborted) return;
      await this.take(uid);
      await this.save({ ...this.cursor, lastUid: uid });
    }
    if (this.cursor.resync) await this.save({ ...this.cursor, resync: false });
    if (uids.length) runtime.noteInbound(id);
    await runtime.notePolled(accountId, id);
  }

  private async take(uid: number): Promise<void> {
    const head = await this.client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
    if (!head) return; // expunged meanwhile
    const receivedAt = head.internalDate ? new Date(head.internalDate) : new Date();
    const tooLarge = (head.size ?? 0) > MAX_MESSAGE_BYTES;
    const body = await this.client.fetchOne(String(uid), tooLarge ? { uid: true, headers: true } : { uid: true, source: true }, {
      uid: true,
    });
    const raw = body ? (tooLarge ? body.headers : body.source) : undefined;
    if (!raw) return;
    const notes = tooLarge ? [`[This e-mail (${megabytes(head.size ?? 0)}) is too large to import; open it in the mailbox]`] : [];
    await receiveEmail(this.adapter.ctx, this.channel.record, raw, receivedAt, notes);
  }

  private async save(cursor: MailboxCursor): Promise<void> {
    this.cursor = cursor;
    await this.adapter.runtime.saveState(this.channel.record.id, { imap: cursor });
  }
}
