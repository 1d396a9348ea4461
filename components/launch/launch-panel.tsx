import Link from "next/link";
import { cache } from "react";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/lib/db";
import { importCounts, listLaunchIdentities, listLaunchImages, listLaunchSizes } from "@/lib/launch/queries";
import type { ActionResult } from "@/lib/actions/errors";
import { LaunchForm } from "./launch-form";

/**
 * What the launch form offers for one provider, read once per request: the provider's launch
 * page shows two panels (launch test and readiness run) over the same lists.
 */
const loadLaunchOptions = cache(async (providerId: number) => {
  const db = await getDb();
  const counts = await importCounts(db, providerId);
  if (counts.images === 0 || counts.sizes === 0) return { counts, identities: [], images: [], sizes: [] };
  const [identities, images, sizes] = await Promise.all([listLaunchIdentities(db, providerId), listLaunchImages(db, providerId), listLaunchSizes(db, providerId)]);
  return { counts, identities, images, sizes };
});

/** Loads what the launch form offers for one provider, or says what to do first. */
export async function LaunchPanel({
  providerId,
  mode,
  action,
}: {
  providerId: number;
  mode: "launch" | "readiness";
  /** The startLaunchTest server action. */
  action: (prev: ActionResult<{ id: number; jobId: string }> | null, form: FormData) => Promise<ActionResult<{ id: number; jobId: string }>>;
}) {
  const { counts, identities, images, sizes } = await loadLaunchOptions(providerId);
  if (counts.images === 0 || counts.sizes === 0) {
    const missing = [counts.images === 0 ? "images" : null, counts.sizes === 0 ? "sizes" : null].filter(Boolean).join(" and ");
    return (
      <Alert tone="warning">
        No {missing} imported for this provider yet: import images/sizes first on the{" "}
        <Link href="/imports" className="font-medium underline">
          Imports
        </Link>{" "}
        page.
      </Alert>
    );
  }
  return <LaunchForm providerId={providerId} identities={identities} images={images} sizes={sizes} mode={mode} action={action} />;
}
