import { createDb } from "@/lib/db";
import { env } from "@/lib/env";
import { seedDemo } from "@/lib/seed/demo";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/seed/demo-data";

const db = createDb(env.DATABASE_URL, 2);
seedDemo(db, { log: (s) => console.log(s), automations: true })
  .then(() => {
    console.log(`Demo sign-ins (password: ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(8)} ${u.email}`);
  })
  .then(() => db.$disconnect())
  .catch(async (e) => {
    console.error("Seed failed:", e);
    await db.$disconnect();
    process.exit(1);
  });
