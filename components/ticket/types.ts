import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/lib/trpc/root";

export type TicketDetail = inferRouterOutputs<AppRouter>["tickets"]["get"];
export type Me = { id: string; name: string; permissions: string[] };
