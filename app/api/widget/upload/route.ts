import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { storeVisitorImage } from "@/lib/chat/files";
import { CHAT_LIMITS } from "@/lib/chat/visitor";

export const dynamic = "force-dynamic";

const STATUS = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, TOO_MANY_REQUESTS: 429, NOT_FOUND: 404, CONFLICT: 409 } as const;

/** The widget's image upload (one file, ≤ 10 MB); the signed visitor token says who sent it. */
export async function POST(req: Request) {
  const token = req.headers.get("x-visitor-token") ?? "";
  if (!token) return Response.json({ error: "Open the chat first." }, { status: 401 });
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > CHAT_LIMITS.imageBytes + 64 * 1024) return Response.json({ error: "Images can be at most 10 MB." }, { status: 413 });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return Response.json({ error: "Send the image as multipart/form-data." }, { status: 400 });
  }
  const files = form.getAll("file").filter((f): f is File => f instanceof File);
  if (files.length !== 1) return Response.json({ error: "Send exactly one image." }, { status: 400 });
  try {
    return Response.json({ file: await storeVisitorImage(db, token, files[0]!) });
  } catch (e) {
    if (e instanceof DomainError) return Response.json({ error: e.message }, { status: STATUS[e.code] });
    throw e;
  }
}
