import { requireApi } from "@/lib/auth/api";
import { getDb } from "@/lib/db";
import { getJob } from "@/lib/jobs/queue";
import { getLaunchRun } from "@/lib/launch/queries";
import { toRunView } from "@/lib/launch/view";

export const dynamic = "force-dynamic";

/** GET /launch-test/runs/:id/status — one run with its live timeline, for the run page's polling. */
export async function GET(_req: Request, { params }: { params: Promise<{ runId: string }> }) {
  const auth = await requireApi("console.view");
  if ("response" in auth) return auth.response;
  const { runId } = await params;
  const db = await getDb();
  const run = /^\d+$/.test(runId) ? await getLaunchRun(db, Number(runId)) : undefined;
  if (!run) return Response.json({ error: "No such launch test." }, { status: 404 });
  const job = run.jobId ? await getJob(db, run.jobId) : undefined;
  return Response.json(toRunView(run, job?.state ?? null), { headers: { "Cache-Control": "no-store" } });
}
