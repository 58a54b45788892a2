import { hashPassword } from "@/lib/auth/password";
import { BUILT_IN_ROLES, type BuiltInRole } from "@/lib/auth/permissions";
import type { Channel, MessageKind, Priority, PrismaClient, TicketStatus } from "@/lib/generated/prisma/client";
import { prng } from "@/lib/seed/prng";
import {
  DEMO_BRANDS, DEMO_CANNED, DEMO_CUSTOMERS, DEMO_GROUPS, DEMO_NOTES, DEMO_PASSWORD, DEMO_REPLIES, DEMO_SUBJECTS,
  DEMO_TAGS, DEMO_TOPICS, DEMO_TYPES, DEMO_USERS,
} from "@/lib/seed/demo-data";

const SEED_MARKER = "seed.demoData";

const WEEKDAYS = { mon: [["09:00", "12:30"], ["13:30", "18:00"]], tue: [["09:00", "12:30"], ["13:30", "18:00"]], wed: [["09:00", "12:30"], ["13:30", "18:00"]], thu: [["09:00", "12:30"], ["13:30", "18:00"]], fri: [["09:00", "12:30"], ["13:30", "17:00"]] };

/** Built-in roles always match the code's definition (new permissions reach old installs). */
export async function syncBuiltInRoles(db: PrismaClient) {
  const ids: Record<BuiltInRole, string> = { ADMIN: "", MANAGER: "", AGENT: "" };
  for (const [key, def] of Object.entries(BUILT_IN_ROLES) as [BuiltInRole, (typeof BUILT_IN_ROLES)[BuiltInRole]][]) {
    const role = await db.role.upsert({
      where: { builtIn: key },
      create: { builtIn: key, name: def.name, permissions: def.permissions },
      update: { permissions: def.permissions },
      select: { id: true },
    });
    ids[key] = role.id;
  }
  return ids;
}

/**
 * The demo desk, seeded once: quickstart runs this on every start, and once the marker
 * (written with the conversations, in their transaction) exists only the built-in roles
 * are brought up to date — a brand an admin renamed, or a tag, canned response or rule
 * they deleted, must not come back. Until then configuration is upserted by natural
 * keys, so a run stopped halfway is finished by the next.
 */
/**
 * `automations`: also create the default rules (auto-reply, urgent words, billing
 * round robin) — the demo desk and new installs have them; tests that do not test
 * rules leave them out so every email ticket does not also get an auto-reply.
 */
export async function seedDemo(db: PrismaClient, opts: { log?: (s: string) => void; automations?: boolean } = {}) {
  const log = opts.log ?? (() => {});
  const roles = await syncBuiltInRoles(db);
  if (await db.setting.findUnique({ where: { key: SEED_MARKER }, select: { key: true } })) {
    log("Demo desk already seeded; built-in roles checked.");
    return { created: false };
  }

  const brands: Record<string, string> = {};
  for (const b of DEMO_BRANDS) {
    const hours = await db.businessHours.findFirst({ where: { name: `${b.name} hours` }, select: { id: true } });
    const hoursId =
      hours?.id ??
      (await db.businessHours.create({ data: { name: `${b.name} hours`, timezone: b.timezone, schedule: WEEKDAYS, holidays: [{ date: "2026-01-01", recurring: true, name: "New Year" }] }, select: { id: true } })).id;
    const brand = await db.brand.upsert({ where: { slug: b.slug }, create: { ...b, businessHoursId: hoursId }, update: {}, select: { id: true } });
    brands[b.slug] = brand.id;
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const user = await db.user.upsert({
      where: { email: u.email },
      create: { email: u.email, name: u.name, roleId: roles[u.role], language: u.language, passwordHash, chatCapacity: 3 },
      update: {},
      select: { id: true },
    });
    users[u.email] = user.id;
  }

  for (const g of DEMO_GROUPS) {
    const group = await db.group.upsert({ where: { name: g.name }, create: { name: g.name, chatCapacity: 3 }, update: {}, select: { id: true } });
    await db.groupMember.createMany({ data: g.members.map((m) => ({ groupId: group.id, userId: users[m]! })), skipDuplicates: true });
    await db.groupBrand.createMany({ data: g.brands.map((b) => ({ groupId: group.id, brandId: brands[b]! })), skipDuplicates: true });
  }

  await db.tag.createMany({ data: DEMO_TAGS.map((name) => ({ name })), skipDuplicates: true });
  for (const [i, name] of DEMO_TYPES.entries()) {
    const existing = await db.ticketType.findFirst({ where: { brandId: null, name } });
    if (!existing) await db.ticketType.create({ data: { name, position: i } });
  }
  for (const [i, name] of DEMO_TOPICS.entries()) {
    const existing = await db.topic.findFirst({ where: { brandId: null, name } });
    if (!existing) await db.topic.create({ data: { name, position: i } });
  }
  for (const c of DEMO_CANNED) {
    const existing = await db.cannedResponse.findFirst({ where: { shortcut: c.shortcut, ownerId: null } });
    if (!existing) await db.cannedResponse.create({ data: { ...c, brandId: brands.acme } });
  }
  for (const [name, email, language] of DEMO_CUSTOMERS) {
    await db.customer.upsert({ where: { email }, create: { email, name, language }, update: {} });
  }

  // SLA targets in each brand's business hours (only when an admin has not set any).
  if ((await db.slaPolicy.count()) === 0) {
    await db.slaPolicy.createMany({
      data: [
        { name: "Highest priority", brandId: brands.acme, priority: "HIGHEST", firstResponseMinutes: 30, resolutionMinutes: 240, warnAtPercent: 75, position: 0 },
        { name: "Standard", firstResponseMinutes: 240, resolutionMinutes: 2 * 24 * 60, warnAtPercent: 80, position: 1 },
      ],
    });
  }

  await seedConversations(db, { brands, users });
  // After the demo conversations, so seeding does not auto-reply to them.
  if (opts.automations) await ensureDefaultRules(db);
  log("Demo desk created.");
  return { created: true };
}

async function seedConversations(db: PrismaClient, ctx: { brands: Record<string, string>; users: Record<string, string> }) {
  const rnd = prng(42);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const tags = await db.tag.findMany({ select: { id: true } });
  const types = await db.ticketType.findMany({ select: { id: true } });
  const topics = await db.topic.findMany({ select: { id: true } });
  const customers = await db.customer.findMany({ where: { email: { in: DEMO_CUSTOMERS.map((c) => c[1]) } }, select: { id: true, email: true, name: true } });
  const agents = DEMO_USERS.filter((u) => u.role === "AGENT").map((u) => ctx.users[u.email]!);
  const groups = await db.group.findMany({ select: { id: true } });
  const statuses: TicketStatus[] = ["OPEN", "OPEN", "OPEN", "PENDING", "PENDING", "RESOLVED", "RESOLVED", "CLOSED"];
  const priorities: Priority[] = ["LOWEST", "LOW", "MEDIUM", "MEDIUM", "MEDIUM", "HIGH", "HIGHEST"];
  const channels: Channel[] = ["EMAIL", "EMAIL", "EMAIL", "FORM", "CHAT", "AGENT"];
  const now = Date.now();

  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < 60; i++) {
        const customer = pick(customers);
        const [subject, body] = pick(DEMO_SUBJECTS);
        const status = pick(statuses);
        const createdAt = new Date(now - Math.floor(rnd() * 30 * 24 * 3600_000) - 3600_000);
        const assigneeId = rnd() < 0.75 ? pick(agents) : null;
        const brandId = rnd() < 0.8 ? ctx.brands.acme! : ctx.brands.globex!;
        const state = i < 3 ? "SPAM" : i < 6 ? "TRASH" : "ACTIVE";
        const thread: { kind: MessageKind; text: string; authorId: string | null; at: Date }[] = [{ kind: "CUSTOMER", text: body, authorId: null, at: createdAt }];
        const extra = Math.floor(rnd() * 5);
        let at = createdAt.getTime();
        for (let m = 0; m < extra; m++) {
          at += Math.floor(rnd() * 8 * 3600_000) + 600_000;
          if (at > now) break;
          const r = rnd();
          thread.push(
            r < 0.5
              ? { kind: "REPLY", text: pick(DEMO_REPLIES), authorId: assigneeId ?? pick(agents), at: new Date(at) }
              : r < 0.7
                ? { kind: "NOTE", text: pick(DEMO_NOTES), authorId: assigneeId ?? pick(agents), at: new Date(at) }
                : { kind: "CUSTOMER", text: "Thanks, any update on this?", authorId: null, at: new Date(at) },
          );
        }
        const last = thread.at(-1)!;
        const firstReply = thread.find((m) => m.kind === "REPLY");
        const publicLast = [...thread].reverse().find((m) => m.kind !== "NOTE")!;
        await tx.ticket.create({
          data: {
            brandId,
            subject,
            snippet: publicLast.text.slice(0, 140),
            status,
            priority: pick(priorities),
            state,
            channel: pick(channels),
            typeId: rnd() < 0.7 ? pick(types).id : null,
            topicId: rnd() < 0.6 ? pick(topics).id : null,
            customerId: customer.id,
            assigneeId,
            groupId: rnd() < 0.5 ? pick(groups).id : null,
            language: /[ğışçöüİ]/i.test(subject) ? "tr" : "en",
            messageCount: thread.filter((m) => m.kind !== "NOTE").length,
            createdAt,
            updatedAt: last.at,
            lastMessageAt: last.at,
            lastCustomerAt: [...thread].reverse().find((m) => m.kind === "CUSTOMER")!.at,
            firstResponseAt: firstReply?.at ?? null,
            resolvedAt: status === "RESOLVED" || status === "CLOSED" ? last.at : null,
            closedAt: status === "CLOSED" ? last.at : null,
            stateChangedAt: state === "ACTIVE" ? null : last.at,
            messages: {
              create: thread.map((m) => ({
                kind: m.kind,
                authorId: m.authorId,
                customerId: m.kind === "CUSTOMER" ? customer.id : null,
                text: m.text,
                html: `<p>${m.text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!)}</p>`,
                fromAddress: m.kind === "CUSTOMER" ? customer.email : null,
                createdAt: m.at,
              })),
            },
            events: {
              create: [
                { actorType: "CUSTOMER", type: "CREATED", createdAt },
                ...(assigneeId ? [{ actorType: "SYSTEM" as const, type: "ASSIGNEE" as const, toValue: assigneeId, createdAt: new Date(createdAt.getTime() + 60_000) }] : []),
                ...(status !== "OPEN" ? [{ actorType: "USER" as const, actorId: assigneeId, type: "STATUS" as const, fromValue: "OPEN", toValue: status, createdAt: last.at }] : []),
              ],
            },
            tags: { create: [...new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => pick(tags).id))].map((tagId) => ({ tagId })) },
          },
        });
      }

      // A few archived chats with transcripts.
      for (let i = 0; i < 6; i++) {
        const customer = pick(customers);
        const agent = pick(agents);
        const queuedAt = new Date(now - Math.floor(rnd() * 10 * 24 * 3600_000) - 3600_000);
        const assignedAt = new Date(queuedAt.getTime() + Math.floor(rnd() * 90_000) + 5_000);
        const resolvedAt = new Date(assignedAt.getTime() + Math.floor(rnd() * 20 * 60_000) + 60_000);
        const visitor = await tx.visitor.create({
          data: {
            brandId: ctx.brands.acme!,
            customerId: customer.id,
            name: customer.name,
            email: customer.email,
            ip: `203.0.113.${10 + i}`,
            userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            browser: "Chrome 131",
            os: "Windows 10",
            pages: [{ url: "https://acme.example/pricing", at: queuedAt.toISOString() }],
            chatCount: 1,
            firstSeenAt: queuedAt,
            lastSeenAt: resolvedAt,
          },
        });
        const lines: { kind: "VISITOR" | "AGENT"; body: string }[] = [
          { kind: "VISITOR", body: "Hi! Is the Pro plan billed monthly or yearly?" },
          { kind: "AGENT", body: "Hello! Both are possible; yearly saves two months." },
          { kind: "VISITOR", body: "Great, thanks a lot." },
        ];
        await tx.chat.create({
          data: {
            brandId: ctx.brands.acme!,
            visitorId: visitor.id,
            customerId: customer.id,
            status: "RESOLVED",
            assigneeId: agent,
            topicId: pick(topics).id,
            messageCount: lines.length,
            rating: 3 + Math.floor(rnd() * 3),
            queuedAt,
            assignedAt,
            firstAgentReplyAt: new Date(assignedAt.getTime() + 30_000),
            endedAt: resolvedAt,
            resolvedAt,
            lastMessageAt: resolvedAt,
            createdAt: queuedAt,
            messages: {
              create: lines.map((l, k) => ({ kind: l.kind, body: l.body, authorId: l.kind === "AGENT" ? agent : null, createdAt: new Date(assignedAt.getTime() + k * 30_000), seenAt: resolvedAt })),
            },
          },
        });
      }
      await tx.setting.create({ data: { key: SEED_MARKER, value: { at: new Date().toISOString() } } });
    },
    { timeout: 120_000 },
  );
}

/** A1, A3, A4 as ordinary, editable rules (created once; admins may change or delete them). */
async function ensureDefaultRules(db: PrismaClient) {
  if ((await db.automationRule.count()) > 0) return;
  const billing = await db.group.findFirst({ where: { name: "Billing" }, select: { id: true } });
  await db.automationRule.createMany({
    data: [
      {
        name: "Auto-reply to new email",
        trigger: "TICKET_CREATED",
        position: 0,
        conditions: { match: "all", items: [{ field: "channel", op: "is", value: "EMAIL" }] },
        actions: [{ type: "auto_reply", open: "Hello {{customer.name}},\n\nThanks for writing to {{brand.name}}. Your request is ticket #{{ticket.number}}; we will answer shortly.", closed: "Hello {{customer.name}},\n\nThanks for writing to {{brand.name}}. We are closed right now and will answer ticket #{{ticket.number}} when we are back." }],
      },
      {
        name: "Urgent words raise the priority",
        trigger: "TICKET_CREATED",
        position: 1,
        conditions: { match: "any", items: [{ field: "subject", op: "contains", value: "urgent" }, { field: "subject", op: "contains", value: "acil" }] },
        actions: [{ type: "set_priority", value: "HIGH" }, { type: "add_tags", value: ["urgent"] }],
      },
      {
        name: "Billing questions to the Billing group, in turn",
        trigger: "TICKET_CREATED",
        position: 2,
        active: false,
        conditions: { match: "any", items: [{ field: "subject", op: "contains", value: "invoice" }, { field: "subject", op: "contains", value: "fatura" }] },
        actions: billing ? [{ type: "set_group", value: billing.id }, { type: "assign", value: "round_robin", groupId: billing.id }] : [{ type: "add_tags", value: ["billing"] }],
      },
    ],
  });
}
