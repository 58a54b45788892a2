import { describe, expect, it } from "vitest";
import { MAX_NAMED_STATEMENTS, statementName } from "@/lib/hot-db";

describe("the hot paths' prepared statements", () => {
  it("names each statement text once, the same name every time, and leaves texts past the limit unnamed", () => {
    const a = statementName("SELECT 1");
    expect(a).toMatch(/^rd_hot_\d+$/);
    expect(statementName("SELECT 1")).toBe(a);
    expect(statementName("SELECT 2")).not.toBe(a);
    for (let i = 0; i < MAX_NAMED_STATEMENTS; i++) statementName(`SELECT ${i} AS n`);
    expect(statementName("SELECT 'one too many'")).toBe("");
    // Those named before keep their names.
    expect(statementName("SELECT 1")).toBe(a);
  });
});
