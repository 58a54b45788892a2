"use client";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent } from "react";
import { ImagePlus, Loader2, SendHorizontal, X } from "lucide-react";
import { checkImage, COUNTER_FROM, IMAGE_TYPES, MAX_MESSAGE, uploadImage, type Translate, type UploadedFile } from "@/components/widget/lib";

export type Draft = { body: string; file: UploadedFile | null; preview: string | null };

type Pending = { preview: string; name: string; file: UploadedFile | null; uploading: boolean };

type Props = {
  token: string;
  /** Resolves false when the message could not be sent: the draft then comes back. */
  onSend: (draft: Draft) => Promise<boolean>;
  onTyping: (typing: boolean) => void;
  onError: (message: string | null) => void;
};

export function Composer({ token, onSend, onTyping, onError }: Props) {
  const t = useTranslations("widget") as Translate;
  const [body, setBody] = useState("");
  const [pending, setPending] = useState<Pending | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const upload = useRef<AbortController | null>(null);
  const counterId = useId();

  // Grows with the text up to a few lines, then scrolls.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 128)}px`;
  }, [body]);

  useEffect(() => () => upload.current?.abort(), []);

  const tooLong = body.length > MAX_MESSAGE;
  const empty = !body.trim() && !pending?.file;
  const canSend = !empty && !tooLong && !pending?.uploading;

  const send = async () => {
    if (!canSend) {
      if (tooLong) onError(t("errors.tooLong", { max: MAX_MESSAGE }));
      return;
    }
    const draft: Draft = { body: body.trim(), file: pending?.file ?? null, preview: pending?.preview ?? null };
    const keep = pending;
    setBody("");
    setPending(null);
    onTyping(false);
    onError(null);
    const ok = await onSend(draft);
    if (!ok) {
      // Nothing typed is lost: the text (and image) come back, ahead of anything typed since.
      setBody((now) => (now.trim() ? `${draft.body}\n${now}` : draft.body));
      setPending((now) => now ?? keep);
    } else if (keep) {
      URL.revokeObjectURL(keep.preview);
    }
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const onChange = (e: ChangeEvent<HTMLTextAreaElement>) => {
    setBody(e.target.value);
    if (e.target.value.length <= MAX_MESSAGE) onError(null);
    onTyping(e.target.value.trim().length > 0);
  };

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    const problem = checkImage(file, t);
    if (problem) {
      onError(problem);
      return;
    }
    onError(null);
    upload.current?.abort();
    if (pending) URL.revokeObjectURL(pending.preview);
    const preview = URL.createObjectURL(file);
    setPending({ preview, name: file.name, file: null, uploading: true });
    const ctrl = new AbortController();
    upload.current = ctrl;
    try {
      const stored = await uploadImage(file, token, t, ctrl.signal);
      setPending((p) => (p?.preview === preview ? { ...p, file: stored, uploading: false } : p));
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      URL.revokeObjectURL(preview);
      setPending((p) => (p?.preview === preview ? null : p));
      onError((err as Error).message);
    }
    input.current?.focus();
  };

  const removeImage = () => {
    upload.current?.abort();
    if (pending) URL.revokeObjectURL(pending.preview);
    setPending(null);
    input.current?.focus();
  };

  return (
    <div className="border-t border-gray-200 bg-white px-3 pt-2 pb-3">
      {pending && (
        <div className="mb-2 flex items-center gap-2 rounded-lg bg-gray-50 p-1.5 ring-1 ring-gray-200" data-testid="chat-attachment">
          <img src={pending.preview} alt="" className="h-10 w-10 rounded-md object-cover" />
          <span className="min-w-0 flex-1 truncate text-xs text-gray-700">{pending.name}</span>
          {pending.uploading && (
            <span className="flex items-center gap-1 text-xs text-gray-500">
              <Loader2 className="h-3.5 w-3.5 animate-spin" aria-hidden />
              {t("uploading")}
            </span>
          )}
          <button type="button" onClick={removeImage} className="rounded-md p-1 text-gray-500 hover:bg-gray-200 hover:text-gray-800 focus-visible:outline-2 focus-visible:outline-[var(--brand)]" aria-label={t("removeAttachment")}>
            <X className="h-4 w-4" aria-hidden />
          </button>
        </div>
      )}
      <div className="flex items-end gap-1.5 rounded-2xl bg-gray-50 py-1 pr-1 pl-3 ring-1 ring-gray-200 transition-shadow focus-within:bg-white focus-within:ring-2 focus-within:ring-[var(--brand)]">
        <label htmlFor="chat-input" className="sr-only">{t("inputLabel")}</label>
        <textarea
          id="chat-input"
          ref={input}
          rows={1}
          value={body}
          onChange={onChange}
          onKeyDown={onKeyDown}
          onBlur={() => onTyping(false)}
          placeholder={t("inputPlaceholder")}
          aria-invalid={tooLong || undefined}
          aria-describedby={body.length >= COUNTER_FROM ? counterId : undefined}
          className="max-h-32 min-h-[36px] flex-1 resize-none bg-transparent py-2 text-sm leading-5 text-gray-900 placeholder:text-gray-400 focus:outline-none"
          data-testid="chat-input"
          data-autofocus
        />
        <input ref={fileInput} type="file" accept={IMAGE_TYPES.join(",")} className="hidden" onChange={pick} data-testid="chat-file" tabIndex={-1} aria-hidden />
        <button
          type="button"
          onClick={() => fileInput.current?.click()}
          className="flex h-9 w-9 shrink-0 items-center justify-center rounded-full text-gray-500 transition-colors hover:bg-gray-200 hover:text-gray-800 focus-visible:outline-2 focus-visible:outline-[var(--brand)]"
          aria-label={t("attach")}
          title={t("attach")}
          data-testid="chat-attach"
        >
          <ImagePlus className="h-5 w-5" aria-hidden />
        </button>
        <button
          type="button"
          onClick={() => void send()}
          disabled={!canSend}
          className="flex h-9 w-9 shrink-0 items-center justify-center rounded-full bg-[var(--brand)] text-[var(--brand-fg)] transition-opacity focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand)] disabled:opacity-40"
          aria-label={t("send")}
          title={t("send")}
          data-testid="chat-send"
        >
          <SendHorizontal className="h-[18px] w-[18px]" aria-hidden />
        </button>
      </div>
      {body.length >= COUNTER_FROM && (
        <p id={counterId} className={`mt-1 text-right text-[11px] tabular-nums ${tooLong ? "font-medium text-red-600" : "text-gray-500"}`} data-testid="chat-counter">
          {t("counter", { count: body.length.toLocaleString(), max: MAX_MESSAGE.toLocaleString() })}
        </p>
      )}
    </div>
  );
}
