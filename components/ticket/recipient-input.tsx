"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { X } from "lucide-react";

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;

/** Address chips (E7): comma or Enter commits an address; invalid ones are refused with a message. */
export function RecipientInput({ label, value, onChange }: { label: string; value: string[]; onChange: (v: string[]) => void }) {
  const t = useTranslations("composer");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  function commit(raw: string) {
    const parts = raw.split(/[,;\s]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
    const bad = parts.filter((p) => !EMAIL.test(p));
    const good = parts.filter((p) => EMAIL.test(p) && !value.includes(p));
    if (good.length) onChange([...value, ...good]);
    setError(bad.length ? t("invalidAddress", { address: bad.join(", ") }) : null);
    setText(bad.join(", "));
  }
  return (
    <div className="flex min-w-0 flex-1 flex-wrap items-center gap-1">
      <span>{label}</span>
      {value.map((a) => (
        <span key={a} className="inline-flex items-center gap-1 rounded bg-indigo-50 px-1.5 py-0.5 text-indigo-800" data-testid="cc-chip">
          {a}
          <button type="button" aria-label={t("removeAddress", { address: a })} onClick={() => onChange(value.filter((x) => x !== a))}><X className="h-3 w-3" /></button>
        </span>
      ))}
      <input
        value={text}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          if (/[,;]$/.test(e.target.value)) commit(e.target.value);
          else setText(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit(text);
          } else if (e.key === "Backspace" && !text && value.length) onChange(value.slice(0, -1));
        }}
        onBlur={() => text && commit(text)}
        className="min-w-32 flex-1 border-0 bg-transparent px-1 py-0.5 text-xs focus:ring-0"
        data-testid="cc-input"
      />
      {error && <span className="text-red-600" role="alert" data-testid="cc-error">{error}</span>}
    </div>
  );
}
