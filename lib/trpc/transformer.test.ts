import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { transformer } from "@/lib/trpc/transformer";

describe("tRPC transformer", () => {
  it("writes exactly what superjson writes, and reads back the same values", () => {
    const at = new Date("2026-12-03T10:00:00.000Z");
    const samples: unknown[] = [
      { chats: [{ id: 1, name: "Ayşe", unread: 0, assignee: null, tags: ["a", "b"] }], queue: 2, ok: true },
      [1, "two", null, { nested: [{ deeper: "yes" }] }],
      "text",
      42,
      null,
      // Not plain JSON: superjson's own encoding, with its meta.
      { at, missing: undefined, n: NaN, big: 10n, set: new Set([1]), map: new Map([["k", 1]]), neg: -0, inf: Infinity },
      [undefined, at],
      undefined,
    ];
    for (const v of samples) {
      const wire = JSON.parse(JSON.stringify(transformer.serialize(v)));
      expect(wire).toEqual(JSON.parse(JSON.stringify(superjson.serialize(v))));
      expect(superjson.deserialize(wire)).toEqual(v);
    }
  });

  it("leaves class instances to superjson", () => {
    class Money {
      constructor(public cents: number) {}
    }
    expect(transformer.serialize({ price: new Money(5) })).toEqual(superjson.serialize({ price: new Money(5) }));
  });
});
