import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/lib/trpc/root";

type Out = inferRouterOutputs<AppRouter>;
export type TicketPage = Out["tickets"]["list"];
export type TicketRow = TicketPage["items"][number];
export type TicketOptions = Out["tickets"]["options"];
