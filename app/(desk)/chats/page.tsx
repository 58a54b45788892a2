import { getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { ChatWorkspace } from "@/components/chat/chat-workspace";
import { chatMe, loadChatOptions } from "@/components/chat/options.server";

export async function generateMetadata() {
  const t = await getTranslations("chats");
  return { title: t("title") };
}

/** C4: live chats — the queue, my chats and the others', with the open conversation beside them. */
export default async function ChatsPage() {
  const user = await requirePermission("chats.answer");
  const [brandId, options] = await Promise.all([selectedBrandId(user), loadChatOptions(user)]);
  return <ChatWorkspace brandId={brandId} me={chatMe(user)} options={options} />;
}
