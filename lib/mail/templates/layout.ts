/** Minimal, client-safe HTML wrapper for system emails. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Plain text as one HTML paragraph, line breaks kept. */
export const textParagraph = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, "<br>")}</p>`;

export function emailLayout(opts: { title: string; paragraphs: string[]; action?: { label: string; url: string }; footer?: string }) {
  const ps = opts.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("");
  const button = opts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(opts.action.url)}" style="background:#4f46e5;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(opts.action.label)}</a></p><p style="font-size:12px;color:#6b7280;word-break:break-all">${escapeHtml(opts.action.url)}</p>`
    : "";
  const footer = opts.footer ? `<p style="font-size:12px;color:#6b7280;margin-top:32px">${escapeHtml(opts.footer)}</p>` : "";
  const html = `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111827;max-width:560px;margin:0 auto;padding:24px"><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(opts.title)}</h1>${ps}${button}${footer}</body></html>`;
  const text = [opts.title, "", ...opts.paragraphs, ...(opts.action ? ["", `${opts.action.label}: ${opts.action.url}`] : []), ...(opts.footer ? ["", opts.footer] : [])].join("\n");
  return { html, text };
}
