"use client";
import { useUploads } from "@/components/ui/use-uploads";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import TextAlign from "@tiptap/extension-text-align";
import { useTranslations } from "next-intl";
import { useEffect, useMemo, useRef, useState } from "react";
import { AlignCenter, AlignLeft, AlignRight, Bold, Italic, Link2, List, ListOrdered, Paperclip, X } from "lucide-react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { fillPlaceholders } from "@/lib/canned/placeholders";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { RecipientInput } from "@/components/ticket/recipient-input";
import type { Me, TicketDetail } from "@/components/ticket/types";

type Draft = { html: string; kind: "REPLY" | "NOTE"; cc: string[] };

function ToolbarButton({ onClick, active, label, children }: { onClick: () => void; active?: boolean; label: string; children: React.ReactNode }) {
  return (
    <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={onClick} aria-label={label} title={label} aria-pressed={active} className={cn("rounded p-1.5 text-gray-600 hover:bg-gray-100", active && "bg-gray-200 text-gray-900")}>
      {children}
    </button>
  );
}

export function Composer({ detail, number, me, onTyping }: { detail: TicketDetail; number: number; me: Me; onTyping?: () => void }) {
  const t = useTranslations("composer");
  const tp = useTranslations("ticketPage");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const draftKey = `rd-draft-${number}`;
  const [kind, setKind] = useState<"REPLY" | "NOTE">("REPLY");
  const [cc, setCc] = useState<string[]>([]);
  const { files, setFiles, uploading, fileRef, upload } = useUploads({
    tooManyFiles: (max) => t("tooManyFiles", { max }),
    fileTooBig: (name) => t("fileTooBig", { name }),
    uploadFailed: () => t("uploadFailed"),
  });
  const [slash, setSlash] = useState<{ query: string; index: number } | null>(null);
  const [pickerOpen, setPickerOpen] = useState(false);
  const keyRef = useRef<(e: KeyboardEvent) => boolean>(() => false);
  const canned = useQuery(trpc.canned.list.queryOptions());
  const placeholderValues = useMemo(
    () => ({ "customer.name": detail.ticket.customer.name, "customer.email": detail.ticket.customer.email, "agent.name": me.name, "ticket.number": String(number), "ticket.subject": detail.ticket.subject }),
    [detail.ticket.customer, detail.ticket.subject, me.name, number],
  );

  const editor = useEditor({
    immediatelyRender: false,
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true } }), TextAlign.configure({ types: ["heading", "paragraph"] })],
    editorProps: {
      attributes: { class: "px-3 py-2 text-sm", "data-testid": "composer-editor", "aria-label": t("editorLabel"), role: "textbox", "aria-multiline": "true" },
      // Runs before the editor's own keymap, so Enter picks a canned response instead of splitting the paragraph.
      handleKeyDown: (_view, e) => keyRef.current(e),
    },
    onUpdate: ({ editor }) => {
      const { from } = editor.state.selection;
      const before = editor.state.doc.textBetween(Math.max(0, from - 40), from, "\n", "\0");
      const m = /(?:^|\s)\/([\w-]*)$/.exec(before);
      setSlash(m ? { query: m[1]!.toLowerCase(), index: 0 } : null);
      localStorage.setItem(draftKey, JSON.stringify({ html: editor.getHTML(), kind: kindRef.current, cc: ccRef.current } satisfies Draft));
      if (!editor.isEmpty) {
        startedAt.current ??= Math.max(0, ...detailRef.current.messages.map((m) => m.id));
        onTypingRef.current?.();
      }
    },
  });
  // Collision detection (T14): someone else replied after I started writing.
  const startedAt = useRef<number | null>(null);
  const detailRef = useRef(detail);
  detailRef.current = detail;
  const onTypingRef = useRef(onTyping);
  onTypingRef.current = onTyping;
  const [acknowledged, setAcknowledged] = useState(0);
  const newReply = startedAt.current === null ? undefined : detail.messages.find((m) => m.id > (startedAt.current ?? 0) && m.id > acknowledged && m.kind === "REPLY" && m.author?.id !== me.id);
  const kindRef = useRef(kind);
  const ccRef = useRef(cc);
  kindRef.current = kind;
  ccRef.current = cc;

  // A draft survives a reload.
  useEffect(() => {
    if (!editor) return;
    const raw = localStorage.getItem(draftKey);
    if (!raw) return;
    try {
      const d = JSON.parse(raw) as Draft;
      editor.commands.setContent(d.html);
      setKind(d.kind);
      setCc(d.cc ?? []);
    } catch {
      localStorage.removeItem(draftKey);
    }
  }, [editor, draftKey]);
  useEffect(() => {
    if (editor) localStorage.setItem(draftKey, JSON.stringify({ html: editor.getHTML(), kind, cc } satisfies Draft));
  }, [kind, cc, editor, draftKey]);

  const matches = useMemo(() => (slash ? (canned.data ?? []).filter((c) => c.shortcut.toLowerCase().startsWith(slash.query)).slice(0, 6) : []), [slash, canned.data]);
  keyRef.current = (e: KeyboardEvent) => {
    if (!slash || !matches.length || !editor) return false;
    if (e.key === "Enter" || e.key === "Tab") {
      insertCanned(editor, (matches[slash.index] ?? matches[0]!).body, true);
      return true;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      setSlash({ ...slash, index: Math.max(0, Math.min(slash.index + (e.key === "ArrowDown" ? 1 : -1), matches.length - 1)) });
      return true;
    }
    if (e.key === "Escape") {
      setSlash(null);
      return true;
    }
    return false;
  };

  function insertCanned(ed: Editor, body: string, replaceSlash: boolean) {
    const html = fillPlaceholders(body, placeholderValues);
    const chain = ed.chain().focus();
    if (replaceSlash && slash) {
      const { from } = ed.state.selection;
      chain.deleteRange({ from: from - slash.query.length - 1, to: from });
    }
    chain.insertContent(html).run();
    setSlash(null);
    setPickerOpen(false);
  }



  const send = useMutation(
    trpc.tickets.reply.mutationOptions({
      onSuccess: () => {
        startedAt.current = null;
        editor?.commands.clearContent();
        setFiles([]);
        setCc([]);
        localStorage.removeItem(draftKey);
        toast.success(kind === "NOTE" ? t("noteAdded") : t("sent"));
        void qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ number }) });
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const submit = (status?: "OPEN" | "PENDING" | "RESOLVED") => {
    if (!editor) return;
    send.mutate({ number, kind, html: editor.getHTML(), cc: kind === "REPLY" ? cc : [], attachmentIds: files.map((f) => f.id), status });
  };

  const isNote = kind === "NOTE";
  return (
    <section className={cn("border-t border-gray-200 px-6 py-3", isNote ? "bg-amber-50" : "bg-white")} aria-label={t("label")} data-testid="composer">
      <div className="mx-auto max-w-3xl">
        <div className="mb-2 flex items-center gap-3 text-sm">
          <div className="inline-flex rounded-md ring-1 ring-gray-300" role="radiogroup" aria-label={t("kind")}>
            {(["REPLY", "NOTE"] as const).map((k) => (
              <button key={k} type="button" role="radio" aria-checked={kind === k} onClick={() => setKind(k)} data-testid={`kind-${k.toLowerCase()}`} className={cn("px-3 py-1 first:rounded-l-md last:rounded-r-md", kind === k ? (k === "NOTE" ? "bg-amber-500 text-white" : "bg-indigo-600 text-white") : "bg-white")}>
                {k === "REPLY" ? t("reply") : t("note")}
              </button>
            ))}
          </div>
          {!isNote && (
            <div className="flex min-w-0 flex-1 items-center gap-2 text-xs text-gray-600">
              <span>{t("to")}</span>
              <span className="rounded bg-gray-100 px-1.5 py-0.5" title={t("requesterFixed")}>{detail.ticket.customer.email ?? t("noEmail")}</span>
              <RecipientInput label={t("cc")} value={cc} onChange={setCc} />
            </div>
          )}
          {isNote && <span className="text-xs text-amber-800">{t("noteHint")}</span>}
        </div>
        <div className="relative rounded-md bg-white ring-1 ring-gray-300 focus-within:ring-2 focus-within:ring-indigo-600">
          <div className="flex items-center gap-0.5 border-b border-gray-100 px-1 py-0.5">
            <ToolbarButton label={t("bold")} active={editor?.isActive("bold")} onClick={() => editor?.chain().focus().toggleBold().run()}><Bold className="h-4 w-4" /></ToolbarButton>
            <ToolbarButton label={t("italic")} active={editor?.isActive("italic")} onClick={() => editor?.chain().focus().toggleItalic().run()}><Italic className="h-4 w-4" /></ToolbarButton>
            <ToolbarButton label={t("bullets")} active={editor?.isActive("bulletList")} onClick={() => editor?.chain().focus().toggleBulletList().run()}><List className="h-4 w-4" /></ToolbarButton>
            <ToolbarButton label={t("numbers")} active={editor?.isActive("orderedList")} onClick={() => editor?.chain().focus().toggleOrderedList().run()}><ListOrdered className="h-4 w-4" /></ToolbarButton>
            <ToolbarButton label={t("alignLeft")} onClick={() => editor?.chain().focus().setTextAlign("left").run()}><AlignLeft className="h-4 w-4" /></ToolbarButton>
            <ToolbarButton label={t("alignCenter")} onClick={() => editor?.chain().focus().setTextAlign("center").run()}><AlignCenter className="h-4 w-4" /></ToolbarButton>
            <ToolbarButton label={t("alignRight")} onClick={() => editor?.chain().focus().setTextAlign("right").run()}><AlignRight className="h-4 w-4" /></ToolbarButton>
            <ToolbarButton
              label={t("link")}
              active={editor?.isActive("link")}
              onClick={() => {
                const url = window.prompt(t("linkPrompt"));
                if (url && /^(https?:|mailto:)/i.test(url)) editor?.chain().focus().extendMarkRange("link").setLink({ href: url }).run();
              }}
            >
              <Link2 className="h-4 w-4" />
            </ToolbarButton>
            <span className="mx-1 h-4 w-px bg-gray-200" aria-hidden />
            <ToolbarButton label={t("attach")} onClick={() => fileRef.current?.click()}><Paperclip className="h-4 w-4" /></ToolbarButton>
            <input ref={fileRef} type="file" multiple className="hidden" onChange={(e) => upload(e.target.files)} data-testid="file-input" />
            <button type="button" className="ml-auto rounded px-2 py-1 text-xs text-gray-600 hover:bg-gray-100" onClick={() => setPickerOpen((v) => !v)} data-testid="canned-picker-toggle">
              {t("canned")}
            </button>
          </div>
          <EditorContent editor={editor} />
          {slash && matches.length > 0 && (
            <ul className="absolute bottom-full left-2 z-10 mb-1 w-80 rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-gray-200" role="listbox" data-testid="canned-suggestions">
              {matches.map((c, i) => (
                <li key={c.id} role="option" aria-selected={i === slash.index}>
                  <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => editor && insertCanned(editor, c.body, true)} className={cn("block w-full px-3 py-1.5 text-left", i === slash.index && "bg-indigo-50")}>
                    <span className="font-mono text-xs text-indigo-600">/{c.shortcut}</span> {c.title}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {pickerOpen && <CannedPicker items={canned.data ?? []} onPick={(body) => editor && insertCanned(editor, body, false)} />}
        </div>
        {files.length > 0 && (
          <ul className="mt-2 flex flex-wrap gap-2" data-testid="composer-files">
            {files.map((f) => (
              <li key={f.id} className="inline-flex items-center gap-1 rounded bg-gray-100 px-2 py-0.5 text-xs">
                <Paperclip className="h-3 w-3" aria-hidden /> {f.name}
                <button type="button" aria-label={t("removeFile", { name: f.name })} onClick={() => setFiles((x) => x.filter((y) => y.id !== f.id))}><X className="h-3 w-3" /></button>
              </li>
            ))}
          </ul>
        )}
        {newReply && (
          <div className="mt-2 flex items-center gap-3 rounded-md bg-amber-100 px-3 py-2 text-sm text-amber-900" role="alert" data-testid="replied-meanwhile">
            {tp("repliedMeanwhile", { name: newReply.author?.name ?? "" })}
            <Button size="sm" variant="secondary" onClick={() => setAcknowledged(newReply.id)}>{tp("sendAnyway")}</Button>
          </div>
        )}
        <div className="mt-2 flex items-center justify-end gap-2">
          {uploading && <span className="text-xs text-gray-500">{t("uploading")}</span>}
          {isNote ? (
            <Button onClick={() => submit()} loading={send.isPending} disabled={uploading || !!newReply} data-testid="send">{t("addNote")}</Button>
          ) : (
            <>
              <Button variant="secondary" onClick={() => submit("OPEN")} loading={send.isPending} disabled={uploading || !!newReply} data-testid="send-open">{t("sendOpen")}</Button>
              <Button variant="secondary" onClick={() => submit("RESOLVED")} loading={send.isPending} disabled={uploading || !!newReply} data-testid="send-resolved">{t("sendResolved")}</Button>
              <Button onClick={() => submit("PENDING")} loading={send.isPending} disabled={uploading || !!newReply} data-testid="send-pending">{t("sendPending")}</Button>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

function CannedPicker({ items, onPick }: { items: { id: string; shortcut: string; title: string; body: string }[]; onPick: (body: string) => void }) {
  const t = useTranslations("composer");
  const [q, setQ] = useState("");
  const shown = items.filter((c) => `${c.shortcut} ${c.title}`.toLowerCase().includes(q.toLowerCase()));
  return (
    <div className="absolute right-2 bottom-full z-10 mb-1 w-80 rounded-md bg-white p-2 shadow-lg ring-1 ring-gray-200" data-testid="canned-picker">
      <input autoFocus value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("searchCanned")} aria-label={t("searchCanned")} className="mb-1 w-full rounded border-0 px-2 py-1 text-sm ring-1 ring-gray-200" />
      <ul className="max-h-48 overflow-auto text-sm">
        {shown.map((c) => (
          <li key={c.id}>
            <button type="button" className="block w-full rounded px-2 py-1 text-left hover:bg-gray-100" onClick={() => onPick(c.body)}>
              <span className="font-mono text-xs text-indigo-600">/{c.shortcut}</span> {c.title}
            </button>
          </li>
        ))}
        {!shown.length && <li className="px-2 py-1 text-gray-400">{t("noCanned")}</li>}
      </ul>
    </div>
  );
}
