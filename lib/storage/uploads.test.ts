import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { storeUploads, attachmentForUser } from "@/lib/storage/uploads";
import { getStorage } from "@/lib/storage";

const file = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: "application/octet-stream" });

describe("composer uploads", () => {
  it("refuses more than 5 files or one over 20 MB, and stores nothing then", async () => {
    const before = await db.attachment.count();
    await expect(storeUploads(db, "u1", Array.from({ length: 6 }, (_, i) => file(`f${i}`, 10)))).rejects.toMatchObject({ code: "BAD_REQUEST", message: "At most 5 files per message." });
    await expect(storeUploads(db, "u1", [file("ok.txt", 10), file("big.iso", 20 * 1024 * 1024 + 1)])).rejects.toMatchObject({ message: "“big.iso” is larger than 20 MB." });
    expect(await db.attachment.count()).toBe(before);
  });

  it("stores files byte-identically; only the uploader can fetch a pending upload", async () => {
    const data = new Uint8Array([1, 2, 3, 250, 251]);
    const [a] = await storeUploads(db, "uploader", [new File([data], "bytes.bin", { type: "application/octet-stream" })]);
    const row = await db.attachment.findUniqueOrThrow({ where: { id: a!.id } });
    expect([...(await getStorage().get(row.storageKey))]).toEqual([...data]);
    expect(await attachmentForUser(db, { id: "uploader", brandIds: [] }, a!.id)).not.toBeNull();
    expect(await attachmentForUser(db, { id: "someone-else", brandIds: [] }, a!.id)).toBeNull();
  });
});
