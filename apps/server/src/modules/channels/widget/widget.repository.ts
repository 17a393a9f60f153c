import { sql } from 'drizzle-orm';
import type { WidgetMessage } from '@switchboard/shared';
import type { Db } from '../../../platform/db/client.js';

interface VisibleRow extends Record<string, unknown> {
  id: string;
  direction: 'in' | 'out';
  author_type: string;
  author_name: string | null;
  text: string | null;
  external_id: string | null;
  created_at: Date;
}

/**
 * What a visitor may see: their own messages and the replies that went out to them. Private notes,
 * and replies not (yet) handed to the widget, never; `sending` counts as out because the widget's
 * delivery is publishing the message, which happens while the message is `sending`.
 */
const VISIBLE = sql`not m.private and (m.direction = 'in' or m.status in ('sending', 'sent', 'delivered', 'read'))`;
const COLUMNS = sql`m.id, m.direction, m.author_type, u.name as author_name, m.text, m.external_id, m.created_at`;

/** The widget's reads: one visitor's conversation, and the stream events addressed to them. */
export class WidgetRepository {
  constructor(private readonly db: Db) {}

  /** The visitor's latest visible messages, oldest first. */
  async visitorMessages(accountId: string, channelId: string, visitorId: string, limit: number): Promise<WidgetMessage[]> {
    const { rows } = await this.db.execute<VisibleRow>(sql`
      select * from (
        select ${COLUMNS}, m.seq from contact_handles ct
        join conversations c on c.channel_id = ct.channel_id and c.handle_id = ct.id
        join messages m on m.conversation_id = c.id
        left join users u on u.id = m.author_user_id
        where ct.account_id = ${accountId} and ct.channel_id = ${channelId} and ct.external_id = ${visitorId} and ${VISIBLE}
        order by m.seq desc limit ${limit}) recent
      order by seq`);
    return rows.map((r) => toWidgetMessage(r, visitorId));
  }

  /** A visitor's message by the dedup key it was stored under. */
  async inboundByExternalId(channelId: string, externalId: string, visitorId: string): Promise<WidgetMessage | undefined> {
    const { rows } = await this.db.execute<VisibleRow>(sql`
      select ${COLUMNS} from messages m left join users u on u.id = m.author_user_id
      where m.channel_id = ${channelId} and m.external_id = ${externalId}`);
    return rows[0] && toWidgetMessage(rows[0], visitorId);
  }

  /** A reply being delivered, as the visitor will see it (undefined for a note or another channel's message). */
  async outbound(accountId: string, channelId: string, messageId: string): Promise<WidgetMessage | undefined> {
    const { rows } = await this.db.execute<VisibleRow>(sql`
      select ${COLUMNS} from messages m left join users u on u.id = m.author_user_id
      where m.account_id = ${accountId} and m.channel_id = ${channelId} and m.id = ${messageId}
        and m.direction = 'out' and not m.private`);
    return rows[0] && toWidgetMessage(rows[0], '');
  }

  /** Stream events for one visitor after `afterId` (a reconnect's `Last-Event-ID`), oldest first. */
  async eventsAfter(
    accountId: string,
    channelId: string,
    visitorId: string,
    afterId: number,
  ): Promise<{ id: number; message: WidgetMessage }[]> {
    const { rows } = await this.db.execute<{ id: number; message: WidgetMessage }>(sql`
      select id, payload->'message' as message from events
      where account_id = ${accountId} and id > ${afterId} and type = ${WIDGET_EVENT}
        and payload->>'channelId' = ${channelId} and payload->>'visitorId' = ${visitorId}
      order by id limit 500`);
    return rows.map((r) => ({ id: Number(r.id), message: r.message }));
  }
}

/** The account event that carries a message to one visitor's stream. */
export const WIDGET_EVENT = 'widget.message';

function toWidgetMessage(r: VisibleRow, visitorId: string): WidgetMessage {
  const mine = r.direction === 'in';
  const prefix = `${visitorId}:`;
  return {
    id: r.id,
    author: mine ? 'visitor' : r.author_type === 'operator' ? 'operator' : 'bot',
    authorName: !mine && r.author_type === 'operator' ? r.author_name : null,
    text: r.text ?? '',
    clientId: mine && r.external_id?.startsWith(prefix) ? r.external_id.slice(prefix.length) : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
