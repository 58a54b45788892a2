"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { ArrowDown, ArrowUp, ExternalLink, Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import { LOCALES } from "@/lib/i18n/config";

type Kind = "TEXT" | "SELECT" | "CHECKBOX";
type FieldRow = { key: string; label: string; kind: Kind; options: string; required: boolean };
type Article = { id?: string; language: (typeof LOCALES)[number]; category: string; title: string; body: string; position: number; published: boolean };

const keyFrom = (label: string) => label.normalize("NFKD").replace(/[^\w\s]/g, "").trim().split(/\s+/).map((w, i) => (i ? w[0]?.toUpperCase() + w.slice(1) : w.toLowerCase())).join("").replace(/^[^a-zA-Z]+/, "").slice(0, 40) || "field";

export function ContactFormAdmin() {
  const t = useTranslations("admin.contactForm");
  const trpc = useTRPC();
  const brands = useQuery(trpc.brands.list.queryOptions());
  const [brandId, setBrandId] = useState<string | null>(null);
  const current = brandId ?? brands.data?.[0]?.id ?? null;
  return (
    <div className="p-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          brands.data && brands.data.length > 1 ? (
            <label className="text-sm">
              <span className="sr-only">{t("brand")}</span>
              <select className="rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-gray-300" value={current ?? ""} onChange={(e) => setBrandId(e.target.value)} aria-label={t("brand")}>
                {brands.data.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
              </select>
            </label>
          ) : null
        }
      />
      {current ? <BrandForm key={current} brandId={current} /> : <Skeleton />}
    </div>
  );
}

function BrandForm({ brandId }: { brandId: string }) {
  const t = useTranslations("admin.contactForm");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const data = useQuery(trpc.contactFormAdmin.get.queryOptions({ brandId }));
  const [rows, setRows] = useState<FieldRow[] | null>(null);
  const [article, setArticle] = useState<Article | null>(null);
  useEffect(() => {
    if (data.data && rows === null) setRows(data.data.fields.map((f) => ({ ...f, kind: f.kind as Kind, options: f.options.join(", ") })));
  }, [data.data, rows]);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.contactFormAdmin.get.queryKey({ brandId }) });
  const save = useMutation(trpc.contactFormAdmin.saveFields.mutationOptions({ onSuccess: () => { toast.success(t("saved")); void invalidate(); } }));
  const delFaq = useMutation(trpc.contactFormAdmin.deleteFaq.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  const errs = fieldErrors(save.error);
  if (data.isLoading || !rows) return <Skeleton />;
  const move = (i: number, by: number) => {
    const next = [...rows];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    setRows(next);
  };
  const set = (i: number, patch: Partial<FieldRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="space-y-6">
      <Card className="p-4">
        <div className="mb-3 flex items-center gap-3">
          <h2 className="flex-1 text-sm font-semibold">{t("fields")}</h2>
          <a href={`/c/${data.data!.slug}`} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-xs text-indigo-600 hover:underline">
            {t("open")} <ExternalLink className="h-3 w-3" aria-hidden />
          </a>
        </div>
        <p className="mb-3 text-xs text-gray-500">{t("fieldsHint")}</p>
        {save.error && !Object.keys(errs).length && <Alert>{save.error.message}</Alert>}
        {rows.length === 0 && <p className="py-2 text-sm text-gray-500">{t("noFields")}</p>}
        <ul className="space-y-2" data-testid="form-fields">
          {rows.map((r, i) => (
            <li key={i} className="flex flex-wrap items-start gap-2 rounded-md bg-gray-50 p-2 text-sm">
              <div className="flex flex-col">
                <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t("moveUp")} className="text-gray-500 disabled:opacity-30"><ArrowUp className="h-3.5 w-3.5" /></button>
                <button type="button" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t("moveDown")} className="text-gray-500 disabled:opacity-30"><ArrowDown className="h-3.5 w-3.5" /></button>
              </div>
              <TextField label={t("label")} value={r.label} onChange={(e) => set(i, { label: e.target.value, ...(data.data!.fields.some((f) => f.key === r.key) ? {} : { key: keyFrom(e.target.value) }) })} error={errs[`fields.${i}.label`]} />
              <TextField label={t("key")} value={r.key} onChange={(e) => set(i, { key: e.target.value })} error={errs[`fields.${i}.key`]} className="font-mono" />
              <label className="text-sm font-medium text-gray-700">
                {t("kind")}
                <select className="mt-1 block rounded-md border-0 px-2 py-2 text-sm ring-1 ring-inset ring-gray-300" value={r.kind} onChange={(e) => set(i, { kind: e.target.value as Kind })}>
                  {(["TEXT", "SELECT", "CHECKBOX"] as const).map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
                </select>
              </label>
              {r.kind === "SELECT" && <TextField label={t("options")} hint={t("optionsHint")} value={r.options} onChange={(e) => set(i, { options: e.target.value })} error={errs[`fields.${i}.options`]} />}
              <label className="mt-6 flex items-center gap-1.5 text-sm"><input type="checkbox" checked={r.required} onChange={(e) => set(i, { required: e.target.checked })} />{t("required")}</label>
              <button type="button" className="mt-6 text-gray-400 hover:text-gray-700" aria-label={t("removeField", { label: r.label })} onClick={() => setRows(rows.filter((_, j) => j !== i))}><X className="h-4 w-4" /></button>
            </li>
          ))}
        </ul>
        <div className="mt-3 flex items-center justify-between">
          <button type="button" className="inline-flex items-center gap-1 text-sm text-indigo-600 hover:underline" onClick={() => setRows([...rows, { key: "", label: "", kind: "TEXT", options: "", required: false }])}>
            <Plus className="h-4 w-4" aria-hidden /> {t("addField")}
          </button>
          <Button
            loading={save.isPending}
            onClick={() => save.mutate({ brandId, fields: rows.map((r) => ({ key: r.key, label: r.label, kind: r.kind, required: r.required, options: r.options.split(",").map((o) => o.trim()).filter(Boolean) })) })}
            data-testid="save-fields"
          >
            {tc("save")}
          </Button>
        </div>
      </Card>

      <Card className="p-4">
        <div className="mb-3 flex items-center">
          <h2 className="flex-1 text-sm font-semibold">{t("faq")}</h2>
          <Button size="sm" onClick={() => setArticle({ language: "en", category: "", title: "", body: "", position: 0, published: true })}>{t("addArticle")}</Button>
        </div>
        {!data.data!.faq.length ? (
          <EmptyState title={t("noArticles")} description={t("faqHint")} />
        ) : (
          <ul className="divide-y divide-gray-100" data-testid="faq-admin">
            {data.data!.faq.map((a) => (
              <li key={a.id} className="flex items-center gap-3 py-2 text-sm">
                <Badge>{a.language.toUpperCase()}</Badge>
                <span className="min-w-0 flex-1 truncate">{a.title}{a.category ? <span className="text-gray-500"> · {a.category}</span> : null}</span>
                {!a.published && <Badge color="yellow">{t("draft")}</Badge>}
                <Button size="sm" variant="ghost" onClick={() => setArticle({ ...a, language: a.language as Article["language"], category: a.category ?? "" })}>{tc("edit")}</Button>
                <Button size="sm" variant="ghost" onClick={() => confirm(t("confirmDelete")) && delFaq.mutate({ id: a.id })}>{tc("delete")}</Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Dialog open={!!article} onClose={() => setArticle(null)} title={article?.id ? t("editArticle") : t("addArticle")}>
        {article && <ArticleEditor brandId={brandId} initial={article} onDone={() => { setArticle(null); void invalidate(); }} />}
      </Dialog>
    </div>
  );
}

function ArticleEditor({ brandId, initial, onDone }: { brandId: string; initial: Article; onDone: () => void }) {
  const t = useTranslations("admin.contactForm");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const [a, setA] = useState(initial);
  const save = useMutation(trpc.contactFormAdmin.saveFaq.mutationOptions({ onSuccess: onDone }));
  const errs = fieldErrors(save.error);
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ ...a, brandId, category: a.category || null });
      }}
    >
      {save.error && !Object.keys(errs).length && <Alert>{save.error.message}</Alert>}
      <div className="flex gap-3">
        <label className="text-sm font-medium text-gray-700">
          {t("language")}
          <select className="mt-1 block rounded-md border-0 px-2 py-2 text-sm ring-1 ring-inset ring-gray-300" value={a.language} onChange={(e) => setA({ ...a, language: e.target.value as Article["language"] })}>
            {LOCALES.map((l) => <option key={l} value={l}>{l.toUpperCase()}</option>)}
          </select>
        </label>
        <TextField label={t("category")} value={a.category} onChange={(e) => setA({ ...a, category: e.target.value })} />
        <TextField label={t("position")} type="number" min={0} value={String(a.position)} onChange={(e) => setA({ ...a, position: Number(e.target.value) || 0 })} />
      </div>
      <TextField label={t("question")} value={a.title} onChange={(e) => setA({ ...a, title: e.target.value })} error={errs.title} />
      <label className="block text-sm font-medium text-gray-700">
        {t("answer")}
        <textarea rows={6} className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-gray-300" value={a.body} onChange={(e) => setA({ ...a, body: e.target.value })} aria-invalid={!!errs.body} />
        {errs.body && <span className="mt-1 block text-xs text-red-600">{errs.body}</span>}
      </label>
      <label className="flex items-center gap-1.5 text-sm"><input type="checkbox" checked={a.published} onChange={(e) => setA({ ...a, published: e.target.checked })} />{t("published")}</label>
      <div className="flex justify-end"><Button type="submit" loading={save.isPending}>{tc("save")}</Button></div>
    </form>
  );
}
