/**
 * Security headers that do not depend on the request. The Content-Security-Policy carries a fresh nonce
 * per response, so it is set in `proxy.ts`.
 * @type {import('next').NextConfig}
 */
const securityHeaders = [
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig = {
  // A second build dir lets a developer run e2e against a build while another one is in progress.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // ews-javascript-api pulls deasync (via @ewsjs/xhr) which Turbopack cannot bundle, so these stay plain Node requires.
  serverExternalPackages: ["ews-javascript-api", "@ewsjs/ntlm-client", "better-sqlite3", "pino", "pg"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
