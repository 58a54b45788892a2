"use client";
import { useRef, useState } from "react";
import { toast } from "sonner";

export type Uploaded = { id: string; name: string; size: number };

/** The server's limits (lib/storage/uploads.ts), checked here first for a quicker message. */
const MAX_FILES = 5;
const MAX_BYTES = 20 * 1024 * 1024;

type Messages = { tooManyFiles: (max: number) => string; fileTooBig: (name: string) => string; uploadFailed: () => string };

/**
 * Composer attachments (ticket replies and chat messages): uploaded at once to /api/uploads,
 * attached by id when the message is sent.
 */
export function useUploads(messages: Messages) {
  const [files, setFiles] = useState<Uploaded[]>([]);
  const [uploading, setUploading] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  async function upload(list: FileList | null) {
    if (!list?.length) return;
    const chosen = [...list];
    if (files.length + chosen.length > MAX_FILES) return toast.error(messages.tooManyFiles(MAX_FILES));
    const big = chosen.find((f) => f.size > MAX_BYTES);
    if (big) return toast.error(messages.fileTooBig(big.name));
    setUploading(true);
    const body = new FormData();
    chosen.forEach((f) => body.append("file", f));
    try {
      const res = await fetch("/api/uploads", { method: "POST", body });
      const json = (await res.json()) as { files?: Uploaded[]; error?: string };
      if (!res.ok || !json.files) throw new Error(json.error ?? messages.uploadFailed());
      setFiles((f) => [...f, ...json.files!]);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : messages.uploadFailed());
    } finally {
      setUploading(false);
      if (fileRef.current) fileRef.current.value = "";
    }
  }

  return { files, setFiles, uploading, fileRef, upload };
}
