import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";

/** The choices the inbox filters and the ticket header offer. */
export async function ticketOptions(db: Db, user: CurrentUser) {
  const [agents, groups, types, topics, tags, brands] = await Promise.all([
    db.user.findMany({ where: { active: true, role: { permissions: { has: "tickets.view" } } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.group.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.ticketType.findMany({ where: { active: true, OR: [{ brandId: null }, { brandId: { in: user.brandIds } }] }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    db.topic.findMany({ where: { active: true, OR: [{ brandId: null }, { brandId: { in: user.brandIds } }] }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    db.tag.findMany({ orderBy: { name: "asc" }, take: 500, select: { name: true } }),
    db.brand.findMany({ where: { id: { in: user.brandIds } }, orderBy: { name: "asc" }, select: { id: true, name: true, color: true } }),
  ]);
  return { agents, groups, types, topics, tags: tags.map((t) => t.name), brands };
}
