import { ActionError } from "@/lib/actions/errors";
import { requireApi } from "@/lib/auth/api";
import { getDb } from "@/lib/db";
import { listIdentityNetworks } from "@/lib/launch/networks";

export const dynamic = "force-dynamic";

/** GET /launch-test/networks?identityId=N — the networks the account sees, listed as the account. */
export async function GET(request: Request) {
  const auth = await requireApi("launch_tests.run");
  if ("response" in auth) return auth.response;
  const raw = new URL(request.url).searchParams.get("identityId") ?? "";
  if (!/^\d+$/.test(raw)) return Response.json({ error: "Choose an account." }, { status: 400 });
  try {
    return Response.json(await listIdentityNetworks(await getDb(), Number(raw)), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof ActionError) return Response.json({ error: error.message }, { status: error.code === "not_found" ? 404 : 502 });
    throw error;
  }
}
