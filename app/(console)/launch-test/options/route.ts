import { requireApi } from "@/lib/auth/api";
import { getDb } from "@/lib/db";
import { countLaunchIdentities, countLaunchImages, countLaunchSizes, listLaunchIdentities, listLaunchImages, listLaunchSizes, PICKER_LIMIT } from "@/lib/launch/queries";

export const dynamic = "force-dynamic";

const int = (v: string | null) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null);

/**
 * GET /launch-test/options?providerId=N&list=identities|images|sizes&q=…[&projectId=…][&minRamMb=…&minDiskGb=…] — the launch
 * form's pickers search here: at most PICKER_LIMIT matches and how many there are in all, never
 * a provider's every account, image or size.
 */
export async function GET(request: Request) {
  const auth = await requireApi("launch_tests.run");
  if ("response" in auth) return auth.response;
  const sp = new URL(request.url).searchParams;
  const providerId = int(sp.get("providerId"));
  if (providerId === null) return Response.json({ error: "Choose a provider." }, { status: 400 });
  const q = (sp.get("q") ?? "").slice(0, 200);
  const db = await getDb();
  const headers = { "Cache-Control": "no-store" };
  if (sp.get("list") === "identities") {
    const [items, total] = await Promise.all([listLaunchIdentities(db, providerId, { q, limit: PICKER_LIMIT }), countLaunchIdentities(db, providerId, q)]);
    return Response.json({ items, total, limit: PICKER_LIMIT }, { headers });
  }
  if (sp.get("list") === "images") {
    const search = { q, projectId: sp.get("projectId")?.slice(0, 200) || null };
    const [items, total] = await Promise.all([listLaunchImages(db, providerId, { ...search, limit: PICKER_LIMIT }), countLaunchImages(db, providerId, search)]);
    return Response.json({ items, total, limit: PICKER_LIMIT }, { headers });
  }
  if (sp.get("list") === "sizes") {
    const search = { q, minRamMb: int(sp.get("minRamMb")) ?? undefined, minDiskGb: int(sp.get("minDiskGb")) ?? undefined };
    const [items, total] = await Promise.all([listLaunchSizes(db, providerId, { ...search, limit: PICKER_LIMIT }), countLaunchSizes(db, providerId, search)]);
    return Response.json({ items, total, limit: PICKER_LIMIT }, { headers });
  }
  return Response.json({ error: "list must be identities, images or sizes." }, { status: 400 });
}
