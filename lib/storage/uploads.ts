import "server-only";
import type { Db } from "@/lib/db";
import { badRequest } from "@/lib/errors";
import { getStorage } from "@/lib/storage";

export const UPLOAD_LIMITS = { maxFiles: 5, maxBytes: 20 * 1024 * 1024 };

/**
 * Composer uploads: stored at once, attached to a message when it is sent. Limits are
 * checked before anything is written, so a rejected upload stores nothing.
 */
export async function storeUploads(db: Db, userId: string, files: File[]) {
  if (!files.length) throw badRequest("Choose a file to upload.");
  if (files.length > UPLOAD_LIMITS.maxFiles) throw badRequest(`At most ${UPLOAD_LIMITS.maxFiles} files per message.`);
  const big = files.find((f) => f.size > UPLOAD_LIMITS.maxBytes);
  if (big) throw badRequest(`“${big.name}” is larger than 20 MB.`);
  const out = [];
  for (const f of files) {
    const data = Buffer.from(await f.arrayBuffer());
    const stored = await getStorage().put(data, f.name);
    const a = await db.attachment.create({
      data: { name: f.name.slice(0, 255) || "file", contentType: f.type || "application/octet-stream", size: stored.size, sha256: stored.sha256, storageKey: stored.key, uploadedById: userId },
      select: { id: true, name: true, size: true, contentType: true },
    });
    out.push(a);
  }
  return out;
}

/** An attachment the user may download: on a ticket or chat of their brands, or their own pending upload. */
export async function attachmentForUser(db: Db, user: { id: string; brandIds: string[] }, id: string) {
  const a = await db.attachment.findUnique({
    where: { id },
    select: { name: true, contentType: true, storageKey: true, uploadedById: true, message: { select: { ticket: { select: { brandId: true } } } }, chatMessage: { select: { chat: { select: { brandId: true } } } } },
  });
  if (!a) return null;
  const brandId = a.message?.ticket.brandId ?? a.chatMessage?.chat.brandId;
  if (brandId ? !user.brandIds.includes(brandId) : a.uploadedById !== user.id) return null;
  return a;
}
