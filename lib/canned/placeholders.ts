/** Fills {{customer.name}}-style placeholders; unknown ones are left visible so the agent notices. */
export function fillPlaceholders(body: string, values: Record<string, string | null | undefined>) {
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (m, key: string) => {
    const v = values[key];
    return v ? v.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!) : m;
  });
}
