import { db } from "@/lib/db";
import { userFromHeaders } from "@/lib/auth/request-user";
import { getStorage } from "@/lib/storage";
import { attachmentForUser } from "@/lib/storage/uploads";
import { attachmentForVisitor } from "@/lib/chat/files";

export const dynamic = "force-dynamic";

/** Chat files: the visitor with their token, or an agent of the chat's brand with their session. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const token = new URL(req.url).searchParams.get("token");
  const user = token ? null : await userFromHeaders(req.headers);
  const a = token ? await attachmentForVisitor(db, token, id) : user ? await attachmentForUser(db, user, id) : null;
  if (!a) return new Response("Not found.", { status: token || user ? 404 : 401 });
  const data = await getStorage().get(a.storageKey);
  const image = /^image\/(png|jpeg|gif|webp)$/.test(a.contentType);
  return new Response(new Uint8Array(data), {
    headers: {
      "content-type": a.contentType,
      "content-length": String(data.length),
      "content-disposition": `${image ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(a.name)}`,
      "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=3600",
    },
  });
}
