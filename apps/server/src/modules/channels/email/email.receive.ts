import type { AppContext } from '../../../context.js';
import { applyDeliveryReport, ingestInbound } from '../../conversations/conversations.inbound.js';
import type { ChannelRecord } from '../adapter.js';
import { normaliseEmail } from './email.normalise.js';

export type ReceiveOutcome = 'stored' | 'duplicate' | 'edited' | 'bounce' | 'auto_reply' | 'unusable';

/**
 * Handles one e-mail taken from the mailbox. Customer mail is stored (with its attachments) through
 * the common ingest; a bounce fails the message of ours it returns; an out-of-office notice is only
 * logged, never stored as a customer's turn, so the bot and an auto-responder cannot answer each other.
 */
export async function receiveEmail(
  ctx: AppContext,
  channel: ChannelRecord,
  raw: Buffer,
  receivedAt: Date,
  notes: string[] = [],
): Promise<ReceiveOutcome> {
  let got;
  try {
    const { simpleParser } = await import('mailparser'); // loaded on first mail, not with every process
    const mail = await simpleParser(raw, { keepDeliveryStatus: true, skipImageLinks: true, skipTextToHtml: true, keepCidLinks: true });
    got = normaliseEmail(mail, raw, receivedAt, notes);
  } catch (err) {
    // A message that cannot be parsed would otherwise stop the mailbox at its UID for good.
    ctx.log.warn({ err, channelId: channel.id, size: raw.length }, 'e-mail could not be parsed; skipped');
    return 'unusable';
  }
  const log = ctx.log.child({ channelId: channel.id, messageId: got.kind === 'message' ? got.inbound.externalId : got.messageId });
  switch (got.kind) {
    case 'message':
      if (got.automated) log.info({ automated: got.automated }, 'automatic e-mail stored for people only (no automatic answer)');
      return ingestInbound(ctx, channel, got.inbound, { files: got.files, automated: got.automated !== null });
    case 'bounce': {
      const applied =
        got.failed && got.originalMessageId
          ? await applyDeliveryReport(ctx, channel, { externalId: got.originalMessageId, status: 'failed', reason: got.reason })
          : false;
      log.info({ original: got.originalMessageId, failed: got.failed, applied, reason: got.reason }, 'delivery status notification');
      return 'bounce';
    }
    case 'auto_reply':
      log.info({ from: got.from, reason: got.reason }, 'auto-reply not stored as a customer message');
      return 'auto_reply';
    case 'unusable':
      log.warn({ reason: got.reason }, 'e-mail skipped');
      return 'unusable';
    default: {
      const never: never = got;
      throw new Error(`unhandled e-mail kind ${String(never)}`);
    }
  }
}
