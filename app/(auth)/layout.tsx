import type { ReactNode } from "react";
import { LanguagePicker } from "@/components/auth/language-picker";
import { DeskMessages } from "@/components/i18n/desk-messages";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <DeskMessages>
      <main className="flex min-h-full flex-col items-center justify-center px-4 py-12">
        <div className="mb-8 flex items-center gap-2">
          <span className="flex h-9 w-9 items-center justify-center rounded-lg bg-indigo-600 text-lg font-bold text-white" aria-hidden>
            R
          </span>
          <span className="text-xl font-semibold tracking-tight">Relaydesk</span>
        </div>
        <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-gray-200">{children}</div>
        <div className="mt-6">
          <LanguagePicker />
        </div>
      </main>
    </DeskMessages>
  );
}
