import type { ReactNode } from "react";
import { getLocale } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { listBrands } from "@/lib/brands/service";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { DeskShell } from "@/components/desk/desk-shell";
import { realtimeClientConfig } from "@/lib/realtime/authorize";
import { AgentHeartbeat } from "@/components/chat/agent-heartbeat";
import { DeskMessages } from "@/components/i18n/desk-messages";

export const dynamic = "force-dynamic";

export default async function DeskLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const [brands, brandId, locale] = await Promise.all([listBrands(db, user.brandIds), selectedBrandId(user), getLocale()]);
  return (
    <DeskMessages>
      <DeskShell
        user={{ id: user.id, name: user.name, email: user.email, roleName: user.roleName, language: user.language, permissions: user.permissions, agentStatus: user.agentStatus, agentStatusAt: user.agentStatusAt.toISOString() }}
        brands={brands.map((b) => ({ id: b.id, name: b.name, color: b.color }))}
        brandId={brandId}
        renderedLocale={locale}
        realtime={realtimeClientConfig()}
      >
        {user.permissions.includes("chats.answer") && <AgentHeartbeat userId={user.id} />}
        {children}
      </DeskShell>
    </DeskMessages>
  );
}
