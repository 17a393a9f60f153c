import { z } from 'zod';

/**
 * The public chat-widget API (`/api/widget/:channelId/…`): no session, a signed visitor token
 * (`x-widget-token` header) instead; the event stream takes a one-minute ticket (`?ticket=`). The widget bundle imports
 * these as types only, so no validation code reaches the host page.
 */
export const widgetPublicConfig = z.object({
  channelId: z.uuid(),
  title: z.string().nullable(),
  greeting: z.string().nullable(),
  color: z.string().nullable(),
  locale: z.enum(['ru', 'en', 'auto']),
  preChat: z.object({ name: z.boolean(), email: z.boolean() }),
});
export type WidgetPublicConfig = z.infer<typeof widgetPublicConfig>;

export const widgetSessionRequest = z.object({
  /** A token kept from an earlier visit: resumes that visitor (a wrong one is refused, not replaced). */
  token: z.string().max(300).optional(),
});

export const widgetSession = z.object({
  visitorId: z.uuid(),
  token: z.string(),
  resumed: z.boolean(),
});
export type WidgetSession = z.infer<typeof widgetSession>;

/** Opens the visitor's event stream (`events?ticket=`) within a minute; useless for anything else. */
export const widgetStreamTicket = z.object({
  ticket: z.string(),
  expiresAt: z.iso.datetime(),
});
export type WidgetStreamTicket = z.infer<typeof widgetStreamTicket>;

/** A message as the visitor sees it: their own, and the replies delivered to them (never notes). */
export const widgetMessage = z.object({
  id: z.uuid(),
  author: z.enum(['visitor', 'operator', 'bot']),
  /** The operator's name; null for the visitor and the bot. */
  authorName: z.string().nullable(),
  text: z.string(),
  /** The widget's own id of a visitor message (matches an optimistic bubble to the stored one). */
  clientId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type WidgetMessage = z.infer<typeof widgetMessage>;

export const widgetHistory = z.object({ items: z.array(widgetMessage) });
export type WidgetHistory = z.infer<typeof widgetHistory>;

export const widgetPostMessageRequest = z.object({
  /** Chosen by the widget per message; a repeated id (a retry) returns the stored message. */
  clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _'),
  text: z.string().trim().min(1, 'Message text is empty').max(4000, 'Message is longer than 4000 characters'),
  /** From the pre-chat form. */
  visitor: z
    .object({
      name: z.string().trim().min(1).max(100).optional(),
      email: z.email().max(320).optional(),
    })
    .optional(),
  /** The page the visitor writes from (shown to operators as the conversation's context). */
  page: z
    .object({
      url: z.string().max(2000).optional(),
      title: z.string().max(300).optional(),
    })
    .optional(),
});
export type WidgetPostMessageRequest = z.infer<typeof widgetPostMessageRequest>;

export const widgetPostMessageResponse = z.object({ message: widgetMessage, duplicate: z.boolean() });
export type WidgetPostMessageResponse = z.infer<typeof widgetPostMessageResponse>;
