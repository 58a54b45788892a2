/**
 * Runs once when the web server starts: the configuration is validated now, so a bad
 * value stops the server with a message naming the variable, instead of the server
 * listening and answering every request with an error (Next.js only logs a failed hook).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    await import("@/lib/env");
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
