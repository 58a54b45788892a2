import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { chatDetail } from "@/lib/chat/agent";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { ChatTranscript } from "@/components/chat/chat-transcript";
import { chatMe, loadChatOptions } from "@/components/chat/options.server";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const t = await getTranslations("chats");
  return { title: `${t("title")} #${(await params).id}` };
}

/** Any chat's transcript (read-only once it ended), with the visitor and the ticket link. */
export default async function ChatTranscriptPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("chats.answer");
  const raw = (await params).id;
  const id = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(id) || id < 1) notFound();
  const [detail, options] = await Promise.all([
    chatDetail(db, user, id).catch((e) => {
      if (e instanceof DomainError && e.code === "NOT_FOUND") notFound();
      throw e;
    }),
    loadChatOptions(user),
  ]);
  return <ChatTranscript id={id} initial={detail} me={chatMe(user)} options={options} />;
}
