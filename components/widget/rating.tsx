"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Star } from "lucide-react";
import { ErrorNote, SubmitButton } from "@/components/widget/forms";
import { errorText, type Translate } from "@/components/widget/lib";

/** 1–5 stars and an optional comment, shown in place of the composer once a chat has ended. */
export function RatingForm({ onRate, onSkip }: { onRate: (rating: number, comment: string) => Promise<void>; onSkip: () => void }) {
  const t = useTranslations("widget") as Translate;
  const [rating, setRating] = useState(0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = hover || rating;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!rating || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onRate(rating, comment.trim());
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-3 border-t border-gray-200 bg-white px-4 pt-3 pb-4" data-testid="chat-rating">
      <fieldset>
        <legend className="w-full text-center text-sm font-semibold text-gray-900">{t("rateTitle")}</legend>
        <div className="mt-2 flex justify-center gap-1" onMouseLeave={() => setHover(0)}>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="cursor-pointer" onMouseEnter={() => setHover(n)} data-testid={`chat-star-${n}`}>
              <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} className="peer sr-only" data-autofocus={n === 1 || undefined} />
              <span className="sr-only">{t("rateStar", { count: n })}</span>
              <Star
                aria-hidden
                className={`h-8 w-8 rounded-md p-0.5 transition-transform peer-focus-visible:outline-2 peer-focus-visible:outline-[var(--brand)] hover:scale-110 ${n <= shown ? "fill-amber-400 text-amber-400" : "fill-transparent text-gray-300"}`}
              />
            </label>
          ))}
        </div>
      </fieldset>
      <label className="block">
        <span className="sr-only">{t("rateComment")}</span>
        <textarea
          rows={2}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={1000}
          placeholder={t("rateComment")}
          className="block w-full resize-none rounded-lg border-0 px-3 py-2 text-sm ring-1 ring-inset ring-gray-300 placeholder:text-gray-400 focus:ring-2 focus:ring-inset focus:ring-[var(--brand)] focus:outline-none"
          data-testid="chat-rating-comment"
        />
      </label>
      <ErrorNote message={error} />
      <div className="flex items-center gap-3">
        <button type="button" onClick={onSkip} className="rounded-md px-2 py-2 text-sm text-gray-500 hover:text-gray-800 focus-visible:outline-2 focus-visible:outline-[var(--brand)]" data-testid="chat-rating-skip">
          {t("rateSkip")}
        </button>
        <div className="flex-1">
          <SubmitButton busy={busy} disabled={!rating} testId="chat-rating-submit">{t("rateSubmit")}</SubmitButton>
        </div>
      </div>
    </form>
  );
}

/** The end of the road: a thank-you (after the rating or the offline message) and a way to start again. */
export function Done({ title, body, action, testId }: { title: string; body: string; action?: { label: string; onClick: () => void }; testId: string }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 px-8 text-center" role="status" data-testid={testId}>
      <span className="flex h-12 w-12 items-center justify-center rounded-full bg-[var(--brand)] text-xl text-[var(--brand-fg)]" aria-hidden>✓</span>
      <p className="text-base font-semibold text-gray-900">{title}</p>
      <p className="text-sm text-gray-600">{body}</p>
      {action && (
        <button
          type="button"
          onClick={action.onClick}
          className="mt-2 rounded-lg bg-[var(--brand)] px-4 py-2 text-sm font-semibold text-[var(--brand-fg)] hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand)]"
          data-testid="chat-new"
          data-autofocus
        >
          {action.label}
        </button>
      )}
    </div>
  );
}
