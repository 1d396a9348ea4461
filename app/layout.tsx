import type { Metadata } from "next";
import { headers } from "next/headers";
import { HydrationMarker } from "@/components/hydration-marker";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Cloudport", template: "%s · Cloudport" },
  description: "Operator console for research clouds",
  // public/, drawn by scripts/make-favicon.mjs.
  icons: { icon: "/favicon.ico", apple: "/apple-touch-icon.png" },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next puts proxy.ts's CSP nonce on its scripts only then
  // (a page prerendered at build time would carry none and not hydrate).
  await headers();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
