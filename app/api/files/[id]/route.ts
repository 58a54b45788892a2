import { db } from "@/lib/db";
import { userFromHeaders } from "@/lib/auth/request-user";
import { getStorage } from "@/lib/storage";
import { attachmentForUser } from "@/lib/storage/uploads";

export const dynamic = "force-dynamic";

const INLINE = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/;

/** Permission-checked download: only agents of the attachment's brand get it. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await userFromHeaders(req.headers);
  if (!user) return new Response("Sign in to continue.", { status: 401 });
  const { id } = await params;
  const a = await attachmentForUser(db, user, id);
  if (!a) return new Response("Not found.", { status: 404 });
  const data = await getStorage().get(a.storageKey);
  const disposition = INLINE.test(a.contentType) && new URL(req.url).searchParams.get("download") !== "1" ? "inline" : "attachment";
  return new Response(new Uint8Array(data), {
    headers: {
      "content-type": a.contentType,
      "content-length": String(data.length),
      "content-disposition": `${disposition}; filename*=UTF-8''${encodeURIComponent(a.name)}`,
      // Uploaded content must never run as a page of ours.
      "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=3600",
    },
  });
}
