import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Tx } from '../../platform/db/transaction.js';
import { storedFiles } from '../../platform/db/schema.channels.js';
import { notFound } from '../../platform/http/errors.js';
import type { FetchedFile } from '../channels/adapter.js';
import { isUuid } from '../../platform/ids.js';

/** A file that arrived inside a message (an e-mail attachment): its bytes are kept with the message. */
export interface InboundFile {
  /** Chosen by the adapter and already named by the message's `Attachment.fileId`. */
  id: string;
  fileName: string | null;
  contentType: string | null;
  content: Buffer;
}

/** Read back in slices: a 20 MB file never sits in memory whole, nor in one result row. */
const CHUNK_BYTES = 1024 * 1024;

/** Stores the files of one message, in the transaction that stores the message. */
export async function storeFiles(tx: Tx, channel: { id: string; accountId: string }, files: InboundFile[]): Promise<void> {
  for (const f of files) {
    // One row per statement: several large parameters in one statement would multiply the peak memory.
    await tx.db.insert(storedFiles).values({
      id: f.id,
      accountId: channel.accountId,
      channelId: channel.id,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.content.length,
      content: f.content,
    });
  }
}

/** Streams a stored file of this channel from the database; `not_found` for anything else. */
export async function openStoredFile(db: Db, channel: { id: string; accountId: string }, fileId: string): Promise<FetchedFile> {
  const where = and(eq(storedFiles.id, fileId), eq(storedFiles.accountId, channel.accountId), eq(storedFiles.channelId, channel.id));
  const [file] = isUuid(fileId)
    ? await db.select({ size: storedFiles.size, contentType: storedFiles.contentType }).from(storedFiles).where(where)
    : [];
  if (!file) throw notFound('Attachment');
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= file.size) return controller.close();
      // substring() on bytea is 1-based.
      const { rows } = await db.execute<{ chunk: Buffer }>(
        sql`select substring(${storedFiles.content} from ${offset + 1} for ${CHUNK_BYTES}) as chunk from ${storedFiles} where ${where}`,
      );
      const chunk = rows[0]?.chunk;
      if (!chunk || chunk.length === 0) return controller.error(new Error(`stored file ${fileId} ended early`));
      offset += chunk.length;
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    },
  });
  return { body, contentType: file.contentType ?? undefined, size: file.size };
}
