import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const publish = vi.hoisted(() => vi.fn(async () => {}));
vi.mock("@/lib/realtime/publish", () => ({ publish }));

import { ANNOUNCE_MS, announce } from "@/lib/forms/announce";

const created = (id: number) => ({ channel: "private-brand-b1", event: "ticket.created" as const, data: { id, number: id, brandId: "b1", fields: [] } });

describe("new contact-form tickets are announced", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    publish.mockClear();
  });
  afterEach(() => vi.useRealTimers());

  it("together when they come within a moment of each other, in order", () => {
    announce(created(1));
    vi.advanceTimersByTime(ANNOUNCE_MS / 2);
    announce(created(2));
    announce(created(3));
    expect(publish).not.toHaveBeenCalled();
    vi.advanceTimersByTime(ANNOUNCE_MS / 2);
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledWith([created(1), created(2), created(3)]);
  });

  it("at once when a request's worth (ten) are waiting, the next ones after their own wait", () => {
    for (let i = 1; i <= 12; i++) announce(created(i));
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenLastCalledWith(Array.from({ length: 10 }, (_, i) => created(i + 1)));
    vi.advanceTimersByTime(ANNOUNCE_MS);
    expect(publish).toHaveBeenCalledTimes(2);
    expect(publish).toHaveBeenLastCalledWith([created(11), created(12)]);
  });

  it("alone within the wait when no other comes", () => {
    announce(created(7));
    vi.advanceTimersByTime(ANNOUNCE_MS - 1);
    expect(publish).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(publish).toHaveBeenCalledWith([created(7)]);
  });
});
