import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { newId } from '../../db/ids';
import type { ServiceContext } from '../http/context';
import { notFound } from '../http/problem';
import { type Notification, notifications } from './notifications.table';

export const MAX_NOTIFICATIONS_PAGE = 50;

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
}

const clip = (text: string | null | undefined, max: number) =>
  text === null || text === undefined ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Sends messages (in the caller's transaction: a rolled-back change notifies nobody). */
export async function notify(ctx: ServiceContext, messages: NewNotification[]): Promise<number> {
  if (messages.length === 0) return 0;
  await ctx.db.insert(notifications).values(
    messages.map((m) => ({
      id: newId(),
      userId: m.userId,
      kind: m.kind,
      title: clip(m.title, 300)!,
      body: clip(m.body, 5000),
      link: clip(m.link, 500),
    })),
  );
  return messages.length;
}

export async function listNotifications(
  ctx: ServiceContext,
  userId: string,
  options: { unreadOnly: boolean; limit: number },
) {
  const mine = eq(notifications.userId, userId);
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(options.unreadOnly ? and(mine, isNull(notifications.readAt)) : mine)
    .orderBy(desc(notifications.createdAt))
    .limit(options.limit);
  const [{ unread } = { unread: 0 }] = await ctx.db
    .select({ unread: count() })
    .from(notifications)
    .where(and(mine, isNull(notifications.readAt)));
  return { data: rows.map(present), unread };
}

function present(row: Notification) {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}

/** Marks some (or, without ids, all) of a person's notifications read; others' are never touched. */
export async function markRead(ctx: ServiceContext, userId: string, ids?: string[]): Promise<void> {
  const mine = eq(notifications.userId, userId);
  if (ids?.length === 1) {
    const [found] = await ctx.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(mine, eq(notifications.id, ids[0]!)));
    if (!found) throw notFound('Notification');
  }
  await ctx.db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(mine, isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined));
}
