import superjson from "superjson";

const MAX_DEPTH = 64;

/**
 * True when plain JSON carries the value exactly: null, booleans, strings, finite numbers
 * (not -0), arrays and plain objects of those, no undefined anywhere.
 */
function isPlainJson(v: unknown, depth: number): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(v) && !Object.is(v, -0);
    case "object": {
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        for (const x of v) if (!isPlainJson(x, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in v) if (!isPlainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * superjson on the wire, as the browser's client expects, with a fast path: an answer that is
 * plain JSON (most are — timestamps already ISO strings) goes out as `{ json }`, exactly what
 * superjson writes for it, without superjson's walk, which is most of the cost of a long list.
 * (Shared references come out as copies, which nothing on the client relies on.)
 */
export const transformer = {
  serialize: (v: unknown) => (isPlainJson(v, 0) ? { json: v } : superjson.serialize(v)),
  deserialize: <T>(v: Parameters<typeof superjson.deserialize>[0]) => superjson.deserialize<T>(v),
};
