import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

const valid = {
  DATABASE_URL: "postgresql://u:p@localhost:5432/db",
  NEXTAUTH_SECRET: "x".repeat(32),
  RELAYDESK_SECRET_KEY: "ab".repeat(32),
  PUSHER_SECRET: "secretsecret",
};

describe("configuration", () => {
  it("accepts a minimal valid configuration with documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.PUSHER_PORT).toBe(6001);
  });

  it.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://x" }],
    ["NEXTAUTH_SECRET", { NEXTAUTH_SECRET: "short" }],
    ["RELAYDESK_SECRET_KEY", { RELAYDESK_SECRET_KEY: "not-32-bytes" }],
    ["PUSHER_PORT", { PUSHER_PORT: "99999" }],
    ["SMTP_URL", { SMTP_URL: "http://mail.example.com" }],
  ])("refuses to start and names %s when it is invalid", (name, patch) => {
    expect(() => parseEnv({ ...valid, ...patch })).toThrow(new RegExp(`refusing to start[\\s\\S]*${name}`));
  });

  it("names a missing required variable", () => {
    const { DATABASE_URL: _, ...rest } = valid;
    expect(() => parseEnv(rest)).toThrow(/DATABASE_URL/);
  });
});
