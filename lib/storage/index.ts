import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * Attachment storage. Local disk by default; the interface is what an S3-compatible
 * driver implements for multi-machine deployments.
 */
export interface Storage {
  put(data: Buffer, hint?: string): Promise<{ key: string; sha256: string; size: number }>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

class LocalDiskStorage implements Storage {
  constructor(private readonly dir: string) {}
  private file(key: string) {
    // Keys are ours (uuid-based); refuse anything that could escape the directory.
    if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}(\.[a-z0-9]{1,10})?$/.test(key)) throw new Error(`Invalid storage key: ${key}`);
    return path.join(this.dir, key);
  }
  async put(data: Buffer, hint?: string) {
    const id = randomUUID();
    const ext = hint && /\.([a-z0-9]{1,10})$/i.exec(hint)?.[1]?.toLowerCase();
    const key = `${id.slice(0, 2)}/${id}${ext ? `.${ext}` : ""}`;
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
    return { key, sha256: createHash("sha256").update(data).digest("hex"), size: data.length };
  }
  get(key: string) {
    return readFile(this.file(key));
  }
  async delete(key: string) {
    await rm(this.file(key), { force: true });
  }
}

let storage: Storage | undefined;
export function getStorage(): Storage {
  storage ??= new LocalDiskStorage(path.resolve(env.STORAGE_DIR));
  return storage;
}
