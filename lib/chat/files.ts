import "server-only";
import type { Db } from "@/lib/db";
import { DomainError, badRequest, forbidden } from "@/lib/errors";
import { getStorage } from "@/lib/storage";
import { hit } from "@/lib/ratelimit/service";
import { CHAT_LIMITS, visitorFromToken, visitorUploader } from "@/lib/chat/visitor";

const IMAGE_SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: "image/png", test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/gif", test: (b) => b.subarray(0, 4).toString("latin1") === "GIF8" },
  { type: "image/webp", test: (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP" },
];

/** C1: one image from the widget, checked by its bytes (not its name or claimed type) before anything is stored. */
export async function storeVisitorImage(db: Db, token: string, file: File) {
  const visitor = await visitorFromToken(db, token);
  if (visitor.banned) throw forbidden("Sorry — chat is not available to you.");
  if (file.size > CHAT_LIMITS.imageBytes) throw badRequest("Images can be at most 10 MB.");
  if (file.size === 0) throw badRequest("The file is empty.");
  const limit = await hit(db, `chat:upload:${visitor.id}`, 20, 600);
  if (!limit.allowed) throw new DomainError("TOO_MANY_REQUESTS", `You have sent many files in a short time. Please wait ${limit.retryAfterSeconds} s and try again.`);
  const data = Buffer.from(await file.arrayBuffer());
  const kind = IMAGE_SIGNATURES.find((s) => s.test(data));
  if (!kind) throw badRequest("Only images can be sent in the chat (PNG, JPEG, GIF or WebP).");
  const stored = await getStorage().put(data, file.name);
  return db.attachment.create({
    data: { name: file.name.slice(0, 255) || "image", contentType: kind.type, size: stored.size, sha256: stored.sha256, storageKey: stored.key, uploadedById: visitorUploader(visitor.id) },
    select: { id: true, name: true, size: true, contentType: true },
  });
}

/** A file the visitor may open: on one of their chats, or their own pending upload. */
export async function attachmentForVisitor(db: Db, token: string, id: string) {
  const visitor = await visitorFromToken(db, token).catch(() => null);
  if (!visitor) return null;
  const a = await db.attachment.findUnique({ where: { id }, select: { name: true, contentType: true, storageKey: true, uploadedById: true, chatMessage: { select: { kind: true, chat: { select: { visitorId: true } } } } } });
  if (!a) return null;
  if (a.chatMessage) return a.chatMessage.chat.visitorId === visitor.id && a.chatMessage.kind !== "NOTE" ? a : null;
  return a.uploadedById === visitorUploader(visitor.id) ? a : null;
}
