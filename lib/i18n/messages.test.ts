import { describe, expect, it } from "vitest";
import { createTranslator } from "use-intl/core";
import en from "@/messages/en.json";
import tr from "@/messages/tr.json";

type Tree = { [k: string]: string | Tree };
function leaves(t: Tree, prefix = ""): [string, string][] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? [[prefix + k, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

describe("UI strings", () => {
  it("English and Turkish have exactly the same keys", () => {
    expect(leaves(tr as Tree).map(([k]) => k).sort()).toEqual(leaves(en as Tree).map(([k]) => k).sort());
  });

  for (const [locale, messages] of [["en", en], ["tr", tr]] as const) {
    it(`every ${locale} string formats without an error`, () => {
      const errors: string[] = [];
      const t = createTranslator({ locale, messages, onError: (e) => errors.push(e.message) });
      for (const [key, text] of leaves(messages as Tree)) {
        // Give every argument the message names a value (a number also satisfies plurals).
        const args = Object.fromEntries([...text.replace(/'[^']*'/g, "").matchAll(/\{\s*(\w+)/g)].map((m) => [m[1], 2]));
        const out = (t as unknown as (k: string, v: object) => string)(key, args);
        expect(out, key).not.toBe(key);
      }
      expect(errors).toEqual([]);
    });
  }
});
