"use client";
import { useTranslations } from "next-intl";
import { useMemo, useState, type KeyboardEvent, type RefObject } from "react";
import { fillPlaceholders } from "@/lib/canned/placeholders";
import { cn } from "@/components/ui/cn";

export type Canned = { id: string; shortcut: string; title: string; body: string };

/** Canned responses are stored as (sanitised) HTML for email; chat sends plain text. */
export function cannedToText(html: string, values: Record<string, string | null | undefined>) {
  const filled = fillPlaceholders(html, values);
  if (typeof DOMParser === "undefined") return filled.replace(/<[^>]*>/g, "");
  const doc = new DOMParser().parseFromString(filled, "text/html");
  doc.querySelectorAll("br").forEach((b) => b.replaceWith("\n"));
  doc.querySelectorAll("li").forEach((li) => li.prepend("• "));
  doc.querySelectorAll("p, div, li, h1, h2, h3, h4, blockquote, pre").forEach((el) => el.append("\n"));
  doc.querySelectorAll("a[href]").forEach((a) => {
    const href = a.getAttribute("href") ?? "";
    if (/^https?:/i.test(href) && a.textContent?.trim() !== href) a.append(` (${href})`);
  });
  return (doc.body.textContent ?? "").replace(/\n{3,}/g, "\n\n").trim();
}

const SLASH = /(?:^|\s)\/([\w-]*)$/;

/**
 * The `/shortcut` picker for a plain textarea (the ticket composer's behaviour):
 * typing `/` followed by letters lists matching responses; ↑/↓ choose, Enter or Tab
 * inserts, Escape closes.
 */
export function useSlashCanned({
  items,
  value,
  setValue,
  textareaRef,
  values,
}: {
  items: Canned[];
  value: string;
  setValue: (v: string) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  values: Record<string, string | null | undefined>;
}) {
  const [caret, setCaret] = useState(0);
  const [index, setIndex] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const before = value.slice(Math.max(0, caret - 40), caret);
  const m = SLASH.exec(before);
  const query = m && `${caret}:${m[1]}` !== dismissed ? m[1]!.toLowerCase() : null;
  const matches = useMemo(() => (query === null ? [] : items.filter((c) => c.shortcut.toLowerCase().startsWith(query)).slice(0, 6)), [items, query]);
  const open = matches.length > 0;
  const active = Math.min(index, Math.max(matches.length - 1, 0));

  function insert(c: Canned, replaceSlash: boolean) {
    const el = textareaRef.current;
    const text = cannedToText(c.body, values);
    const end = replaceSlash ? caret : (el?.selectionEnd ?? value.length);
    const start = replaceSlash && query !== null ? caret - query.length - 1 : (el?.selectionStart ?? value.length);
    const next = (value.slice(0, start) + text + value.slice(end)).slice(0, 5000);
    setValue(next);
    const pos = Math.min(start + text.length, next.length);
    setCaret(pos);
    setIndex(0);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(pos, pos);
    });
  }

  /** Returns true when the key was used by the picker. */
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open) return false;
    if (e.key === "Enter" || e.key === "Tab") {
      insert(matches[active]!, true);
      return true;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      setIndex(Math.max(0, Math.min(active + (e.key === "ArrowDown" ? 1 : -1), matches.length - 1)));
      return true;
    }
    if (e.key === "Escape") {
      setDismissed(`${caret}:${m?.[1] ?? ""}`);
      return true;
    }
    return false;
  }

  const trackCaret = () => {
    const el = textareaRef.current;
    if (el) setCaret(el.selectionStart);
    setIndex(0);
  };

  const popup = open ? (
    <ul className="absolute bottom-full left-2 z-10 mb-1 w-80 rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-gray-200" role="listbox" id="chat-canned-suggestions" data-testid="canned-suggestions">
      {matches.map((c, i) => (
        <li key={c.id} role="option" aria-selected={i === active}>
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => insert(c, true)} className={cn("block w-full truncate px-3 py-1.5 text-left", i === active && "bg-indigo-50")}>
            <span className="font-mono text-xs text-indigo-600">/{c.shortcut}</span> {c.title}
          </button>
        </li>
      ))}
    </ul>
  ) : null;

  return { open, onKeyDown, trackCaret, popup, insert };
}

/** Searchable list of all responses, opened from the composer's toolbar. */
export function CannedPicker({ items, onPick, onClose }: { items: Canned[]; onPick: (c: Canned) => void; onClose: () => void }) {
  const t = useTranslations("chats.composer");
  const [q, setQ] = useState("");
  const [index, setIndex] = useState(0);
  const shown = items.filter((c) => `${c.shortcut} ${c.title}`.toLowerCase().includes(q.toLowerCase()));
  const active = Math.min(index, Math.max(shown.length - 1, 0));
  return (
    <div className="absolute right-2 bottom-full z-10 mb-1 w-80 rounded-md bg-white p-2 shadow-lg ring-1 ring-gray-200" data-testid="canned-picker">
      <input
        autoFocus
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            setIndex(Math.max(0, Math.min(active + (e.key === "ArrowDown" ? 1 : -1), shown.length - 1)));
          } else if (e.key === "Enter" && shown[active]) {
            e.preventDefault();
            onPick(shown[active]);
          }
        }}
        placeholder={t("searchCanned")}
        aria-label={t("searchCanned")}
        className="mb-1 w-full rounded border-0 px-2 py-1 text-sm ring-1 ring-gray-200"
      />
      <ul className="max-h-48 overflow-auto text-sm" role="listbox" aria-label={t("canned")}>
        {shown.map((c, i) => (
          <li key={c.id} role="option" aria-selected={i === active}>
            <button type="button" className={cn("block w-full truncate rounded px-2 py-1 text-left hover:bg-gray-100", i === active && "bg-indigo-50")} onClick={() => onPick(c)}>
              <span className="font-mono text-xs text-indigo-600">/{c.shortcut}</span> {c.title}
            </button>
          </li>
        ))}
        {!shown.length && <li className="px-2 py-1 text-gray-400">{t("noCanned")}</li>}
      </ul>
    </div>
  );
}
