import { db } from "@/lib/db";
import { userFromHeaders } from "@/lib/auth/request-user";
import { DomainError } from "@/lib/errors";
import { storeUploads, UPLOAD_LIMITS } from "@/lib/storage/uploads";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  const user = await userFromHeaders(req.headers);
  if (!user) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (!user.permissions.includes("tickets.reply") && !user.permissions.includes("chats.answer")) return Response.json({ error: "You cannot upload attachments." }, { status: 403 });
  // Refuse oversize bodies before reading them.
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > UPLOAD_LIMITS.maxFiles * UPLOAD_LIMITS.maxBytes + 1024 * 1024) return Response.json({ error: "Too much data: at most 5 files of 20 MB each." }, { status: 413 });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return Response.json({ error: "Send the files as multipart/form-data." }, { status: 400 });
  }
  const files = form.getAll("file").filter((f): f is File => f instanceof File);
  try {
    return Response.json({ files: await storeUploads(db, user.id, files) });
  } catch (e) {
    if (e instanceof DomainError) return Response.json({ error: e.message }, { status: 400 });
    throw e;
  }
}
