"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the page now and then, so runs the scheduler starts show up without a reload. */
export function AutoRefresh({ everyMs = 30_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
