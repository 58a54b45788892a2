/**
 * npm run bench pages [url] — server time of desk pages on a running Relaydesk
 * (default http://localhost:3000, e.g. after `npm run quickstart`): signs in as the
 * demo admin, then times the first ("cold") and the following requests per page.
 */
const base = (process.argv[3] ?? "http://localhost:3000").replace(/\/$/, "");
const requests = Number(process.env.BENCH_REQUESTS ?? 50);

class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(";")[0] ?? "";
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

async function signIn(jar: Jar) {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  jar.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, email: "admin@acme.test", password: "relaydesk-demo", json: "true" }),
  });
  jar.take(res);
  if (!jar.header().includes("session-token")) throw new Error(`sign-in failed (${res.status}) — is ${base} a Relaydesk with the demo seed?`);
}

async function time(jar: Jar, path: string) {
  const t = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { cookie: jar.header() }, redirect: "manual" });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
  return performance.now() - t;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

export async function benchPages() {
  const jar = new Jar();
  await signIn(jar);
  console.log(`Desk pages on ${base}, ${requests} requests each after the first (full HTML response time):`);
  for (const path of ["/inbox", "/inbox?status=OPEN&sort=priority", "/tickets/1", "/admin/users"]) {
    const cold = await time(jar, path);
    const warm: number[] = [];
    for (let i = 0; i < requests; i++) warm.push(await time(jar, path));
    console.log(`${path.padEnd(36)} first ${cold.toFixed(0).padStart(5)} ms   then p50 ${pct(warm, 50).toFixed(0).padStart(4)} ms  p95 ${pct(warm, 95).toFixed(0).padStart(4)} ms`);
  }
}
