import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { deleteFaqArticle, formAdmin, saveFaqArticle, saveFormFields } from "@/lib/forms/admin";
import { createBusinessHours, listBusinessHours, updateBusinessHours } from "@/lib/business-hours/service";
import { businessHoursSchema } from "@/lib/sla/schedule-schema";
import { formConfig } from "@/lib/forms/fields";

let acme = "";
let beta = "";

beforeAll(async () => {
  await seedDemo(db);
  const brands = await db.brand.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true } });
  acme = brands.find((b) => b.slug === "acme")!.id;
  beta = brands.find((b) => b.slug !== "acme")!.id;
});

describe("contact form administration", () => {
  it("saves fields in the given order and replaces them as a whole", async () => {
    await saveFormFields(db, { brandId: acme, fields: [
      { key: "plan", label: "Plan", kind: "SELECT", options: ["Free", "Pro"], required: true },
      { key: "orderNumber", label: "Order number", kind: "TEXT", options: ["ignored"], required: false },
    ] });
    const first = await formAdmin(db, { brandId: acme });
    expect(first.fields).toEqual([
      { key: "plan", label: "Plan", kind: "SELECT", options: ["Free", "Pro"], required: true },
      { key: "orderNumber", label: "Order number", kind: "TEXT", options: [], required: false },
    ]);
    await saveFormFields(db, { brandId: acme, fields: [{ key: "orderNumber", label: "Order no.", kind: "TEXT", options: [], required: true }] });
    expect((await formAdmin(db, { brandId: acme })).fields.map((f) => f.label)).toEqual(["Order no."]);
  });

  it("shows saved fields on the contact form at once", async () => {
    const slug = (await formAdmin(db, { brandId: acme })).slug;
    const version = (await formConfig(db, slug))!.version;
    await saveFormFields(db, { brandId: acme, fields: [{ key: "orderNumber", label: "Order number", kind: "TEXT", options: [], required: false }] });
    const saved = (await formConfig(db, slug))!;
    expect(saved.formFields.map((f) => f.key)).toEqual(["orderNumber"]);
    expect(saved.version).not.toBe(version); // what tells a process's kept form it is out of date
    await saveFormFields(db, { brandId: acme, fields: [{ key: "plan", label: "Plan", kind: "SELECT", options: ["Free", "Pro"], required: true }] });
    expect((await formConfig(db, slug))!.formFields).toEqual([{ key: "plan", label: "Plan", kind: "SELECT", options: ["Free", "Pro"], required: true }]);
  });

  it("refuses duplicate keys and a choice without options, and keeps the saved fields", async () => {
    const before = (await formAdmin(db, { brandId: acme })).fields;
    await expect(saveFormFields(db, { brandId: acme, fields: [
      { key: "a", label: "A", kind: "TEXT", options: [], required: false },
      { key: "a", label: "B", kind: "TEXT", options: [], required: false },
    ] })).rejects.toThrow('Two fields use the key "a".');
    await expect(saveFormFields(db, { brandId: acme, fields: [{ key: "c", label: "Colour", kind: "SELECT", options: [], required: false }] })).rejects.toThrow('"Colour" needs at least one option.');
    expect((await formAdmin(db, { brandId: acme })).fields).toEqual(before);
  });

  it("edits an article only within its own brand", async () => {
    const { id } = await saveFaqArticle(db, { brandId: acme, language: "en", category: null, title: "Q", body: "A", position: 0, published: true });
    await expect(saveFaqArticle(db, { id, brandId: beta, language: "en", category: null, title: "Hijack", body: "x", position: 0, published: true })).rejects.toThrow("not found");
    await saveFaqArticle(db, { id, brandId: acme, language: "tr", category: "Genel", title: "Soru", body: "Yanıt", position: 2, published: false });
    expect((await formAdmin(db, { brandId: acme })).faq).toContainEqual({ id, language: "tr", category: "Genel", title: "Soru", body: "Yanıt", position: 2, published: false });
    await deleteFaqArticle(db, { id });
    expect((await formAdmin(db, { brandId: acme })).faq.find((a) => a.id === id)).toBeUndefined();
  });
});

describe("business hours administration", () => {
  const hours = businessHoursSchema.parse({ timezone: "Europe/Istanbul", schedule: { mon: [["09:00", "12:00"], ["13:00", "18:00"]] }, holidays: [{ date: "2026-12-31", recurring: false, name: "Eve" }] });

  it("creates split-shift hours and moves brands onto them, taking them off other calendars", async () => {
    const { id } = await createBusinessHours(db, { ...hours, name: "Istanbul desk", brandIds: [acme, beta] });
    let list = await listBusinessHours(db);
    expect(list.find((h) => h.id === id)!.brands.map((b) => b.id).sort()).toEqual([acme, beta].sort());
    // A brand has one calendar: the seed's calendars lost these brands.
    expect(list.filter((h) => h.id !== id).flatMap((h) => h.brands.map((b) => b.id))).not.toContain(acme);

    await updateBusinessHours(db, { ...hours, id, name: "Istanbul desk", brandIds: [beta] });
    list = await listBusinessHours(db);
    expect(list.find((h) => h.id === id)!.brands.map((b) => b.id)).toEqual([beta]);
    expect((await db.brand.findUniqueOrThrow({ where: { id: acme }, select: { businessHoursId: true } })).businessHoursId).toBeNull();
  });

  it("refuses overlapping shifts with a sentence, placed on the day", () => {
    const r = businessHoursSchema.safeParse({ timezone: "Europe/Istanbul", schedule: { mon: [["09:00", "12:00"], ["11:00", "18:00"]] } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("The interval 11:00–18:00 overlaps 09:00–12:00 on the same day.");
    expect(r.error!.issues[0]!.path).toEqual(["schedule", "mon", 1]);
  });
});
