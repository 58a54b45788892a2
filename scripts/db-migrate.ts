/**
 * Prisma migrations without Prisma's native schema engine (which the CLI downloads
 * at run time and which air-gapped servers cannot fetch). Runs Prisma's own engine
 * compiled to WebAssembly and keeps the standard `_prisma_migrations` table, so an
 * online `prisma migrate deploy` works on the same database.
 *
 *   npm run db:migrate -- <name>   create prisma/migrations/<ts>_<name>/migration.sql
 *   npm run db:deploy              apply pending migrations (and graphile-worker's schema)
 */
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import { parse } from "pg-connection-string";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "..");
const schemaPath = path.join(root, "prisma/schema.prisma");
const migrationsDir = path.join(root, "prisma/migrations");

type Engine = {
  diff(p: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(p: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
};

// The schema engine's catalog queries return PostgreSQL's internal one-byte "char"
// type (OID 18), which @prisma/adapter-pg refuses. Report those columns to the engine
// as Character (what it expects for them). Tagged on the rows array, which the adapter
// passes through untouched, so concurrent queries cannot mix their columns up.
const CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
type Queryable = {
  performIO(q: unknown): Promise<{ fields: { dataTypeID: number }[]; rows: unknown[] & { charColumns?: number[] } }>;
  queryRaw(q: unknown): Promise<{ columnTypes: number[]; rows: unknown[] & { charColumns?: number[] } }>;
};
function patchCatalogCharColumns(adapter: object) {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as Queryable & { patched?: boolean };
  if (proto.patched) return;
  proto.patched = true;
  const performIO = proto.performIO;
  const queryRaw = proto.queryRaw;
  proto.performIO = async function (this: Queryable, q) {
    const result = await performIO.call(this, q);
    const chars: number[] = [];
    result.fields.forEach((f, i) => {
      if (f.dataTypeID === 18) {
        f.dataTypeID = 25;
        chars.push(i);
      }
    });
    if (chars.length) result.rows.charColumns = chars;
    return result;
  };
  proto.queryRaw = async function (this: Queryable, q) {
    const out = await queryRaw.call(this, q);
    for (const i of out.rows.charColumns ?? []) out.columnTypes[i] = CHARACTER;
    return out;
  };
}

// The adapter runs a migration script by splitting it at every ";", which breaks function
// bodies ($$ … ; … $$) and comments with semicolons. PostgreSQL's simple query protocol runs a
// whole multi-statement script as is (as one implicit transaction).
type ScriptRunner = { executeScript(script: string): Promise<void>; client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never };
function wholeScripts(a: object) {
  const r = a as ScriptRunner;
  r.executeScript = async (script: string) => {
    try {
      await r.client.query(script);
    } catch (e) {
      r.onError(e);
    }
  };
}

function patchedFactory(connectionString: string) {
  const factory = new PrismaPg(parse(connectionString) as PoolConfig);
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => {
    const a = await connect();
    patchCatalogCharColumns(a);
    wholeScripts(a);
    // The adapter drops the shadow database while its own pool still holds a connection.
    const executeScript = a.executeScript.bind(a);
    a.executeScript = (script: string) =>
      executeScript(/^DROP DATABASE "prisma_migrate_shadow_db_[^"]+"$/.test(script) ? `${script} WITH (FORCE)` : script);
    return a;
  };
  factory.connectToShadowDb = async () => {
    const a = await connectToShadowDb();
    patchCatalogCharColumns(a);
    wholeScripts(a);
    return a;
  };
  return factory;
}

let panicMessage = "";

// The wasm module keeps global state: instantiate it once per process, then create engines from it.
type Bg = { SchemaEngine: { new: (o: unknown, log: (m: string) => void, a: unknown) => Promise<Engine> }; __wbg_set_wasm(e: unknown): void };
let wasm: Promise<Bg> | undefined;
function loadWasm(): Promise<Bg> {
  wasm ??= (async () => {
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const bg = (await import(path.join(pkgDir, "schema_engine_bg.js"))) as Bg;
    const bytes = readFileSync(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg;
  })();
  return wasm;
}

async function loadEngine(connectionString: string): Promise<Engine> {
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      panicMessage = message;
      console.error("[schema-engine panic]", message);
    },
  };
  const bg = await loadWasm();
  const schema = readFileSync(schemaPath, "utf8");
  // Parsed fields, not connectionString: the adapter's shadow database overrides
  // `database`, which pg ignores whenever a connectionString is present.
  const adapter = bindMigrationAwareSqlAdapterFactory(patchedFactory(connectionString));
  const log = (msg: string) => {
    if (process.env.MIGRATE_DEBUG) console.error("[schema-engine]", msg);
  };
  return bg.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, log, adapter);
}

function migrationsList() {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

const filters = { externalTables: [], externalEnums: [] };

function unwrapError(e: unknown): string {
  if (panicMessage) return `schema engine panicked: ${panicMessage}`;
  if (e && typeof e === "object" && "message" in e) return String((e as { message: unknown }).message);
  return JSON.stringify(e);
}

export async function deploy(connectionString: string): Promise<string[]> {
  const engine = await loadEngine(connectionString);
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: migrationsList(), filters });
  // graphile-worker keeps its own schema; installing it here means jobs can be
  // enqueued (in the same transaction as a change) before any worker has started.
  const { runMigrations } = await import("graphile-worker");
  await runMigrations({ connectionString, logger: quietLogger() });
  return appliedMigrationNames;
}

function quietLogger() {
  // graphile-worker's Logger type is awkward to import from here; a no-op factory is enough.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const { Logger } = require("graphile-worker") as any;
  return new Logger(() => () => {});
}

async function create(connectionString: string, name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: lowercase letters, digits and _ only");
  const engine = await loadEngine(connectionString);
  const schema = readFileSync(schemaPath, "utf8");
  const result = await engine.diff({
    from: { tag: "migrations", ...migrationsList() },
    to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters,
  });
  const sql = (result.stdout ?? "").trim();
  if (!sql || sql === "-- This is an empty migration.") {
    console.log("No schema changes: no migration created.");
    return;
  }
  const ts = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${ts}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
  console.log(`Created prisma/migrations/${ts}_${name}/migration.sql`);
}

async function main() {
  // WITH (FORCE) above terminates the shadow pool's idle connection, which pg reports
  // as an error event with no listener; that one is expected.
  process.on("uncaughtException", (e: Error & { code?: string }) => {
    if (e.code === "57P01") return;
    console.error("Migration failed:", unwrapError(e));
    process.exit(1);
  });
  const [cmd, name] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is required (quickstart and the test runner set it for the embedded server).");
    process.exit(2);
  }
  if (cmd === "deploy") {
    const applied = await deploy(url);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
  } else if (cmd === "create") {
    if (!name) {
      console.error("usage: npm run db:migrate -- <name>");
      process.exit(2);
    }
    await create(url, name);
  } else {
    console.error("usage: db-migrate.ts deploy | create <name>");
    process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main()
    .then(() => process.exit(0))
    .catch((e) => {
      console.error("Migration failed:", unwrapError(e));
      process.exit(1);
    });
}
