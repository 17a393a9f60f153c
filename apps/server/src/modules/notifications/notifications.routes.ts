import { z } from 'zod';
import {
  markReadRequest,
  notification,
  notificationDelivery,
  notificationList,
  notificationPreferences,
  notificationSettings,
  pageQuery,
  pushSubscriptionRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { NotificationsService } from './notifications.service.js';

const unreadCount = z.object({ unread: z.number().int() });
const mine = { permission: 'signed_in' as const };

/** A person's own notifications (any signed-in member, about themselves). */
export function notificationRoutes(app: App, service: NotificationsService): void {
  app.get(
    '/api/notifications',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first (the bell), with the unread count',
        querystring: pageQuery.extend({ unread: z.stringbool().optional() }),
        response: { 200: notificationList },
      },
    },
    async (req) => service.list(actorOf(req), req.query),
  );

  app.get(
    '/api/notifications/unread-count',
    {
      config: mine,
      schema: { tags: ['notifications'], summary: 'How many of my notifications are unread', response: { 200: unreadCount } },
    },
    async (req) => service.unread(actorOf(req)),
  );

  app.post(
    '/api/notifications/read',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'Mark some (`ids`) or all (`all: true`) of my notifications read',
        body: markReadRequest,
        response: { 200: unreadCount },
      },
    },
    async (req) => service.markRead(actorOf(req), req.body),
  );

  app.get(
    '/api/notifications/preferences',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'What reaches me by which medium, quiet hours, sound; which media can work',
        response: { 200: notificationPreferences },
      },
    },
    async (req) => service.preferences(actorOf(req)),
  );

  app.put(
    '/api/notifications/preferences',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'Save my notification preferences',
        body: z.object({ settings: notificationSettings }),
        response: { 200: notificationPreferences },
      },
    },
    async (req) => service.savePreferences(actorOf(req), req.body.settings),
  );

  app.post(
    '/api/notifications/push-subscriptions',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: "Subscribe this browser to push notifications (the browser's PushSubscription as JSON)",
        body: pushSubscriptionRequest,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await service.subscribe(actorOf(req), req.body, req.headers['user-agent']);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/notifications/push-subscriptions/remove',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'Unsubscribe a browser from push notifications',
        body: z.object({ endpoint: z.string().max(2000) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await service.unsubscribe(actorOf(req), req.body.endpoint);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/notifications/deliveries',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'How my notifications went out by push, e-mail and Telegram (failures with their reason)',
        querystring: z.object({ status: notificationDelivery.shape.status.optional() }),
        response: { 200: z.object({ items: z.array(notificationDelivery) }) },
      },
    },
    async (req) => ({ items: await service.deliveries(actorOf(req), req.query.status) }),
  );

  app.post(
    '/api/notifications/test',
    {
      config: mine,
      schema: {
        tags: ['notifications'],
        summary: 'Send myself a test notification by every medium I chose for mentions',
        response: { 201: notification },
      },
    },
    async (req, reply) => reply.status(201).send(await service.sendTest(actorOf(req))),
  );
}
