import Link from "next/link";
import { cache } from "react";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/lib/db";
import { countLaunchIdentities, countLaunchImages, countLaunchSizes, importCounts, listLaunchIdentities, listLaunchImages, listLaunchSizes, PICKER_LIMIT } from "@/lib/launch/queries";
import type { ActionResult } from "@/lib/actions/errors";
import { LaunchForm } from "./launch-form";

/**
 * What the launch form offers for one provider, read once per request: the provider's launch
 * page shows two panels (launch test and readiness run) over the same lists. Accounts and images
 * (and sizes) can number in the thousands: only the first PICKER_LIMIT of each (and the totals) are sent; the
 * pickers search the rest on the server (/launch-test/options).
 */
const loadLaunchOptions = cache(async (providerId: number) => {
  const db = await getDb();
  const counts = await importCounts(db, providerId);
  const none = { identities: [], identityTotal: 0, images: [], imageTotal: 0, defaultImage: null, sizes: [], sizeTotal: 0 };
  if (counts.images === 0 || counts.sizes === 0) return { counts, ...none };
  const [identities, identityTotal, images, imageTotal, [cirros], sizes, sizeTotal] = await Promise.all([
    listLaunchIdentities(db, providerId, { limit: PICKER_LIMIT }),
    countLaunchIdentities(db, providerId),
    listLaunchImages(db, providerId, { limit: PICKER_LIMIT }),
    countLaunchImages(db, providerId),
    listLaunchImages(db, providerId, { q: "cirros", limit: 1 }),
    listLaunchSizes(db, providerId, { limit: PICKER_LIMIT }),
    countLaunchSizes(db, providerId),
  ]);
  return { counts, identities, identityTotal, images, imageTotal, defaultImage: cirros ?? null, sizes, sizeTotal };
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
  const { counts, identities, identityTotal, images, imageTotal, defaultImage, sizes, sizeTotal } = await loadLaunchOptions(providerId);
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
  return (
    <LaunchForm
      providerId={providerId}
      identities={{ items: identities, total: identityTotal }}
      images={{ items: images, total: imageTotal }}
      defaultImage={defaultImage}
      sizes={{ items: sizes, total: sizeTotal }}
      mode={mode}
      action={action}
    />
  );
}
