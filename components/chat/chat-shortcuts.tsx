"use client";
import { ShortcutDialog } from "@/components/inbox/shortcut-help";

const KEYS = [
  ["j / k", "move"],
  ["r", "reply"],
  ["Enter", "send"],
  ["Shift + Enter", "newline"],
  ["/", "canned"],
  ["e", "resolve"],
  ["Esc", "leave"],
  ["?", "help"],
] as const;

export function ChatShortcuts({ open, onClose }: { open: boolean; onClose: () => void }) {
  return <ShortcutDialog open={open} onClose={onClose} keys={KEYS} namespace="chats.shortcuts" />;
}
