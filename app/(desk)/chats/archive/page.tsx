import { getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { ChatArchive, type ArchiveFilters } from "@/components/chat/chat-archive";
import { loadChatOptions } from "@/components/chat/options.server";

export async function generateMetadata() {
  const t = await getTranslations("chats");
  return { title: `${t("title")} · ${t("tabs.archive")}` };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[\w-]{1,64}$/;

/** C6: ended chats, filtered in the URL. */
export default async function ChatArchivePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePermission("chats.answer");
  const [brandId, options, sp] = await Promise.all([selectedBrandId(user), loadChatOptions(user), searchParams]);
  const one = (k: string, re: RegExp) => {
    const v = sp[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s && re.test(s) ? s : "";
  };
  const filters: ArchiveFilters = { group: one("group", ID), agent: one("agent", ID), topic: one("topic", ID), from: one("from", DAY), to: one("to", DAY) };
  return <ChatArchive brandId={brandId} options={options} initialFilters={filters} />;
}
