import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { callTrpc, sessionCookie, startTrpcServer } from "@/lib/test/http";
import { z } from "zod";
import { hasServerText, requestLocale, serverText, zodIssueText } from "@/lib/i18n/server-text";
import catalogue from "@/messages/server.tr.json";

// ── The scan: every English message literal under lib/ that can leave the server in a tRPC error ──

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Helpers whose first argument is (part of) a user-facing message. */
const MESSAGE_FNS = new Set(["badRequest", "conflict", "notFound", "forbidden", "unprocessable", "tooMany", "unique"]);
/** Zod methods that take a message (a string, or `{ error | message }`). */
const ZOD_METHODS = new Set(["min", "max", "length", "email", "url", "httpUrl", "regex", "refine", "superRefine", "nonempty", "gte", "lte", "gt", "lt", "int", "positive", "nonnegative", "negative", "nonpositive", "multipleOf", "uuid", "cuid", "datetime", "date", "time", "hostname", "string", "number", "boolean", "enum", "strictObject", "custom", "check"]);
/** Messages built at run time that are not server text (already translated, or passed through). */
const DYNAMIC_OK = new Set(["lib/errors.ts: message", "lib/trpc/init.ts: cause.message", "lib/forms/submit.ts: t("]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ["generated", "test"].includes(e.name) ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const isText = (e: ts.Node): boolean =>
  ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e) || (ts.isConditionalExpression(e) && (isText(e.whenTrue) || isText(e.whenFalse))) || (ts.isParenthesizedExpression(e) && isText(e.expression));

/** The msgids an expression can produce: literals as they are, `${…}` as {0}, {1}…; both arms of a ?: */
function msgids(e: ts.Node, out: string[], dynamic: string[], where: string) {
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return msgids(e.expression, out, dynamic, where);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return void out.push(e.text);
  if (ts.isTemplateExpression(e)) return void out.push(e.templateSpans.reduce((s, span, i) => `${s}{${i}}${span.literal.text}`, e.head.text));
  if (ts.isConditionalExpression(e)) {
    msgids(e.whenTrue, out, dynamic, where);
    return msgids(e.whenFalse, out, dynamic, where);
  }
  if (ts.isIdentifier(e) && e.text === "undefined") return;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    if (!ts.isBlock(e.body)) return msgids(e.body, out, dynamic, where);
    const returns = (n: ts.Node): void => {
      if (ts.isReturnStatement(n) && n.expression) msgids(n.expression, out, dynamic, where);
      else if (!ts.isFunctionLike(n)) ts.forEachChild(n, returns);
    };
    return returns(e.body);
  }
  dynamic.push(`${where}: ${e.getText()}`);
}

function scan() {
  const found = new Map<string, string>();
  const dynamic: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, "lib"))) {
    const src = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const rel = path.relative(ROOT, file);
    const add = (e: ts.Node | undefined, at: ts.Node) => {
      if (!e) return;
      const out: string[] = [];
      msgids(e, out, dynamic, rel);
      for (const m of out) if (!found.has(m)) found.set(m, `${rel}:${src.getLineAndCharacterOfPosition(at.getStart()).line + 1}`);
    };
    const messageProps = (o: ts.Node) => {
      if (!ts.isObjectLiteralExpression(o)) return;
      for (const p of o.properties)
        if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && ["message", "error"].includes(p.name.text)) add(p.initializer, p);
    };
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression;
        if (ts.isIdentifier(callee) && MESSAGE_FNS.has(callee.text)) add(n.arguments[0], n);
        else if (ts.isPropertyAccessExpression(callee) && ZOD_METHODS.has(callee.name.text)) {
          for (const a of n.arguments) if (isText(a)) add(a, n);
          else messageProps(a);
        } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === "addIssue") n.arguments.forEach(messageProps);
      }
      // Default messages: const forbidden = (message = "…") => …
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && MESSAGE_FNS.has(n.name.text) && n.initializer && ts.isArrowFunction(n.initializer))
        for (const p of n.initializer.parameters) if (p.initializer && isText(p.initializer)) add(p.initializer, p);
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) {
        if (n.expression.text === "DomainError") add(n.arguments?.[1], n);
        if (n.expression.text === "TRPCError") n.arguments?.forEach(messageProps);
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return { found, dynamic };
}

describe("the Turkish server-text catalogue", () => {
  const { found, dynamic } = scan();

  it("finds the messages (the scan works)", () => {
    expect(found.size).toBeGreaterThan(150);
    expect(found.get("Enter a valid email address.")).toBeDefined();
    expect(found.get("{0} was not found.")).toBe("lib/errors.ts:18");
    expect(found.get("The role")).toBeDefined();
    expect(found.get("Sign in to continue.")).toBeDefined();
    expect(found.get("You do not have permission to do that.")).toBe("lib/errors.ts:21");
  });

  it("has a Turkish text for every English message that can reach a user", () => {
    const entries = catalogue as Record<string, string>;
    const missing = [...found].filter(([m]) => entries[m] === undefined).map(([m, where]) => `${where}  ${JSON.stringify(m)}`);
    expect(missing, `Add these msgids to messages/server.tr.json:\n${missing.join("\n")}`).toEqual([]);
  });

  it("every Turkish text keeps the msgid's placeholders and is not the English", () => {
    const bad = Object.entries(catalogue as Record<string, string>).filter(([id, text]) => {
      const ph = (s: string) => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort().join();
      return !text.trim() || (text === id && id.length > 3) || ph(text).split(",").some((p) => p && !ph(id).includes(p));
    });
    expect(bad).toEqual([]);
  });

  it("has no messages built in a way the scan cannot see", () => {
    const unseen = dynamic.filter((d) => ![...DYNAMIC_OK].some((ok) => d.startsWith(ok)));
    expect(unseen, "make these message literals (or template literals), so the catalogue can cover them").toEqual([]);
  });
});

describe("serverText", () => {
  it("translates a static message for Turkish, and leaves English alone", () => {
    expect(serverText("tr", "Enter a valid email address.")).toBe("Geçerli bir e-posta adresi girin.");
    expect(serverText("en", "Enter a valid email address.")).toBe("Enter a valid email address.");
    expect(serverText(undefined, "Enter a valid email address.")).toBe("Enter a valid email address.");
  });

  it("translates interpolated messages, and the values that are msgids themselves", () => {
    expect(serverText("tr", "The role was not found.")).toBe("Rol bulunamadı.");
    expect(serverText("tr", "Ticket #1042 was not found.")).toBe("1042 numaralı talep bulunamadı.");
    expect(serverText("tr", "You already have 3 chats, your limit.")).toBe("Zaten 3 sohbetiniz var; sınırınız bu.");
    expect(serverText("tr", "You are sending messages very quickly. Please wait 12 s and try again.")).toBe(
      "Çok hızlı mesaj gönderiyorsunuz. Lütfen 12 sn bekleyip tekrar deneyin.",
    );
    expect(serverText("tr", "A topic with this name already exists.")).toBe("Bu adla bir konu zaten var.");
  });

  it("falls back to the English for a message it does not know", () => {
    expect(serverText("tr", "Something nobody wrote yet.")).toBe("Something nobody wrote yet.");
    expect(hasServerText("tr", "Something nobody wrote yet.")).toBe(false);
  });

  it("gives zod's own Turkish for zod's built-in messages, and never replaces a message of ours", () => {
    const issues = z.object({ a: z.string().min(1), b: z.array(z.string()), c: z.enum(["x", "y"]), d: z.string().min(1, "Enter a name."), e: z.string().min(1, "Not in the catalogue.") })
      .safeParse({ a: "", b: "s", c: "z", d: "", e: "" }).error!.issues;
    const tr = Object.fromEntries(issues.map((i) => [i.path.join("."), zodIssueText("tr", i)]));
    expect(tr).toEqual({
      a: "Çok küçük: beklenen string >=1 karakter",
      b: "Geçersiz değer: beklenen array, alınan string",
      c: 'Geçersiz seçenek: aşağıdakilerden biri olmalı: "x"|"y"',
      d: "Bir ad girin.",
      e: "Not in the catalogue.",
    });
    expect(issues.map((i) => zodIssueText("en", i))).toEqual(issues.map((i) => i.message));
  });

  it("takes the language from the profile, else the locale cookie", () => {
    expect(requestLocale({ language: "tr" }, new Headers())).toBe("tr");
    expect(requestLocale({ language: "en" }, new Headers({ cookie: "rd-locale=tr" }))).toBe("en");
    expect(requestLocale(null, new Headers({ cookie: "a=b; rd-locale=tr" }))).toBe("tr");
    expect(requestLocale(null, new Headers())).toBe("en");
  });
});

describe("over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTrpcServer>>;
  beforeAll(async () => {
    await seedDemo(db);
    server = await startTrpcServer();
  });
  afterAll(() => server?.close());

  const invite = async (email: string, language: string) => {
    const admin = await db.user.update({ where: { email }, data: { language }, select: { id: true, sessionVersion: true } });
    const cookie = await sessionCookie(admin);
    return { ...(await callTrpc(server.url, "users.invite", "mutation", { email: "not-an-email", name: "", roleId: "x" }, cookie)), cookie };
  };

  it("a Turkish user gets Turkish field messages", async () => {
    const res = await invite("admin@acme.test", "tr");
    expect(res.status).toBe(400);
    expect(res.body.error?.json.data.fieldErrors).toMatchObject({ email: "Geçerli bir e-posta adresi girin.", name: "Bir ad girin." });
    expect(res.body.error?.json.message).toContain("email: Geçerli bir e-posta adresi girin.");
    // zod's built-in messages (no text of ours) in zod's Turkish
    const bare = await callTrpc(server.url, "users.invite", "mutation", { email: "a@b.test", name: "A", roleId: "", groupIds: "x" }, res.cookie);
    expect(bare.body.error?.json.data.fieldErrors).toEqual({ roleId: "Çok küçük: beklenen string >=1 karakter", groupIds: "Geçersiz değer: beklenen array, alınan string" });
  });

  it("an English user still gets English", async () => {
    const res = await invite("admin@acme.test", "en");
    expect(res.body.error?.json.data.fieldErrors).toMatchObject({ email: "Enter a valid email address.", name: "Enter a name." });
  });

  it("a domain error's message is translated too", async () => {
    const admin = await db.user.update({ where: { email: "admin@acme.test" }, data: { language: "tr" }, select: { id: true, sessionVersion: true } });
    const res = await callTrpc(server.url, "roles.delete", "mutation", { roleId: "no-such-role" }, await sessionCookie(admin));
    expect(res.body.error?.json.data.code).toBe("NOT_FOUND");
    expect(res.body.error?.json.message).toBe("Rol bulunamadı.");
  });
});
