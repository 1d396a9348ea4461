import type { NextConfig } from "next";
import { env } from "./lib/env";
import { STATIC_SECURITY_HEADERS } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // PGlite ships a WASM build and data files that the bundler must not touch.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // `npm run dev` answers on localhost and 127.0.0.1 alike: Next blocks its dev assets (and so
  // hydration) for any other origin unless listed. Development only.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // Lets several builds (e.g. parallel e2e runs) live side by side.
  distDir: env().NEXT_DIST_DIR,
  // `npm test` runs `tsc --noEmit` as its own step and counts it; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // The request-independent security headers on everything, static files included; proxy.ts
  // adds the CSP (with its nonce) and HSTS.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
