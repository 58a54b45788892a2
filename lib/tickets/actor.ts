import type { ActorType } from "@/lib/generated/prisma/client";

/** Who caused a change: recorded on every TicketEvent. */
export type Actor = { type: ActorType; id?: string | null; name?: string };

export const userActor = (u: { id: string; name: string }): Actor => ({ type: "USER", id: u.id, name: u.name });
export const SYSTEM: Actor = { type: "SYSTEM" };
export const CUSTOMER: Actor = { type: "CUSTOMER" };
