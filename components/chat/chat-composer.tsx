"use client";
import { useUploads, type Uploaded } from "@/components/ui/use-uploads";
import { useTranslations } from "next-intl";
import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from "react";
import { MessageSquareText, Paperclip, SendHorizonal, StickyNote, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CannedPicker, cannedToText, useSlashCanned, type Canned } from "@/components/chat/canned";

export const MAX_CHARS = 5000;

type Draft = { body: string; note: boolean };

/** Unsent text survives switching between chats (and a reload) — agents juggle several at once. */
const draftKey = (chatId: number) => `rd-chat-draft-${chatId}`;
function readDraft(chatId: number): Draft {
  if (typeof window === "undefined") return { body: "", note: false };
  try {
    const raw = sessionStorage.getItem(draftKey(chatId));
    return raw ? (JSON.parse(raw) as Draft) : { body: "", note: false };
  } catch {
    return { body: "", note: false };
  }
}

export type ComposerHandle = { focus: () => void; restore: (text: string) => void };

export const ChatComposer = forwardRef<
  ComposerHandle,
  {
    chatId: number;
    canned: Canned[];
    placeholders: Record<string, string | null | undefined>;
    onSend: (input: { body: string; note: boolean; attachmentIds: string[]; files: Uploaded[] }) => void;
    onTyping: () => void;
    onStopTyping: () => void;
    /** Someone else's (or a queued) chat: internal notes only, with the reason shown. */
    noteOnly?: string;
  }
>(function ChatComposer({ chatId, canned, placeholders, onSend, onTyping, onStopTyping, noteOnly }, ref) {
  const t = useTranslations("chats.composer");
  const [body, setBody] = useState("");
  const [noteChoice, setNote] = useState(false);
  const restored = useRef(false);
  const note = noteChoice || !!noteOnly;
  const { files, setFiles, uploading, fileRef, upload } = useUploads({
    tooManyFiles: (max) => t("tooManyFiles", { max }),
    fileTooBig: (name) => t("fileTooBig", { name }),
    uploadFailed: () => t("uploadFailed"),
  });
  const [pickerOpen, setPickerOpen] = useState(false);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(
    ref,
    () => ({
      focus: () => areaRef.current?.focus(),
      // A message that failed to send comes back into the box instead of being lost.
      restore: (text: string) => setBody((b) => (b ? `${text}\n${b}` : text).slice(0, MAX_CHARS)),
    }),
    [],
  );

  const slash = useSlashCanned({ items: canned, value: body, setValue: setBody, textareaRef: areaRef, values: placeholders });

  // The draft is read after hydration (the server has no sessionStorage).
  useEffect(() => {
    const d = readDraft(chatId);
    restored.current = true;
    if (d.body) setBody(d.body);
    if (d.note) setNote(true);
  }, [chatId]);

  useEffect(() => {
    if (!restored.current) return;
    try {
      if (body || noteChoice) sessionStorage.setItem(draftKey(chatId), JSON.stringify({ body, note: noteChoice } satisfies Draft));
      else sessionStorage.removeItem(draftKey(chatId));
    } catch {
      /* storage full or disabled: drafts are a convenience */
    }
  }, [body, noteChoice, chatId]);

  // Grows with the text up to ~8 lines; the height is set before paint, so nothing jumps.
  useLayoutEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 176)}px`;
  }, [body]);

  const trimmed = body.trim();
  const canSend = (trimmed.length > 0 || files.length > 0) && trimmed.length <= MAX_CHARS && !uploading;

  function submit() {
    if (!canSend) return;
    onSend({ body: trimmed, note, attachmentIds: files.map((f) => f.id), files });
    onStopTyping();
    setBody("");
    setFiles([]);
  }



  const count = body.length;
  const counter = useMemo(() => (count > MAX_CHARS - 500 ? `${count} / ${MAX_CHARS}` : null), [count]);

  return (
    <section className={cn("shrink-0 border-t px-4 py-2", note ? "border-amber-200 bg-amber-50" : "border-gray-200 bg-white")} aria-label={t("label")}>
      <div className="mb-1.5 flex h-6 items-center gap-2 text-xs">
        <button
          type="button"
          role="switch"
          aria-checked={note}
          disabled={!!noteOnly}
          onClick={() => {
            setNote((v) => !v);
            areaRef.current?.focus();
          }}
          className={cn("inline-flex items-center gap-1 rounded-full px-2 py-0.5 font-medium ring-1 ring-inset", note ? "bg-amber-400 text-amber-950 ring-amber-500" : "text-gray-600 ring-gray-300 hover:bg-gray-50", noteOnly && "cursor-not-allowed")}
          data-testid="chat-note-toggle"
          title={t("noteToggleHint")}
        >
          {note ? <StickyNote className="h-3.5 w-3.5" aria-hidden /> : <MessageSquareText className="h-3.5 w-3.5" aria-hidden />}
          {note ? t("note") : t("reply")}
        </button>
        <span className={cn("truncate", note ? "text-amber-800" : "text-gray-400")}>{noteOnly ?? (note ? t("noteHint") : t("replyHint"))}</span>
        <span className="ml-auto flex items-center gap-1">
          {counter && <span className={cn("tabular-nums", count > MAX_CHARS ? "text-red-600" : "text-gray-500")} aria-live="polite">{counter}</span>}
          <button type="button" onClick={() => fileRef.current?.click()} className="rounded p-1 text-gray-500 hover:bg-gray-100" aria-label={t("attach")} title={t("attach")}>
            <Paperclip className="h-3.5 w-3.5" />
          </button>
          <input ref={fileRef} type="file" multiple className="hidden" onChange={(e) => upload(e.target.files)} data-testid="chat-file-input" />
          <button type="button" onClick={() => setPickerOpen((v) => !v)} className="rounded px-1.5 py-0.5 text-gray-600 hover:bg-gray-100" aria-expanded={pickerOpen} data-testid="chat-canned-toggle">
            {t("canned")}
          </button>
        </span>
      </div>
      <div className="relative flex items-end gap-2">
        <div className={cn("relative min-w-0 flex-1 rounded-md bg-white ring-1 focus-within:ring-2", note ? "ring-amber-300 focus-within:ring-amber-500" : "ring-gray-300 focus-within:ring-indigo-600")}>
          <textarea
            ref={areaRef}
            rows={1}
            value={body}
            maxLength={MAX_CHARS}
            onChange={(e) => {
              setBody(e.target.value);
              slash.trackCaret();
              if (!note && e.target.value) onTyping();
            }}
            onSelect={slash.trackCaret}
            onBlur={onStopTyping}
            onKeyDown={(e) => {
              if (slash.onKeyDown(e)) return e.preventDefault();
              if (e.key === "Escape") return areaRef.current?.blur();
              if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                submit();
              }
            }}
            placeholder={note ? t("notePlaceholder") : t("placeholder")}
            aria-label={note ? t("note") : t("reply")}
            aria-autocomplete="list"
            aria-controls={slash.open ? "chat-canned-suggestions" : undefined}
            className="block max-h-44 min-h-[2.25rem] w-full resize-none rounded-md border-0 bg-transparent px-3 py-2 text-sm focus:ring-0"
            data-testid="chat-composer"
          />
          {slash.popup}
          {pickerOpen && (
            <CannedPicker
              items={canned}
              onClose={() => {
                setPickerOpen(false);
                areaRef.current?.focus();
              }}
              onPick={(c) => {
                setPickerOpen(false);
                slash.insert(c, false);
              }}
            />
          )}
        </div>
        <Button onClick={submit} disabled={!canSend} className={cn("h-9 shrink-0", note && "bg-amber-500 hover:bg-amber-400 disabled:bg-amber-200")} data-testid="chat-send" aria-label={note ? t("addNote") : t("send")}>
          <SendHorizonal className="h-4 w-4" aria-hidden />
          <span className="hidden sm:inline">{note ? t("addNote") : t("send")}</span>
        </Button>
      </div>
      {(files.length > 0 || uploading) && (
        <ul className="mt-1.5 flex flex-wrap gap-1.5 text-xs">
          {files.map((f) => (
            <li key={f.id} className="inline-flex items-center gap-1 rounded bg-gray-100 px-2 py-0.5">
              <Paperclip className="h-3 w-3" aria-hidden /> {f.name}
              <button type="button" aria-label={t("removeFile", { name: f.name })} onClick={() => setFiles((x) => x.filter((y) => y.id !== f.id))}>
                <X className="h-3 w-3" />
              </button>
            </li>
          ))}
          {uploading && <li className="text-gray-500">{t("uploading")}</li>}
        </ul>
      )}
    </section>
  );
});

export { cannedToText };
