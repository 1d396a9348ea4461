import { requireApi } from "@/lib/auth/api";
import { getDb } from "@/lib/db";
import { getJob } from "@/lib/jobs/queue";

export const dynamic = "force-dynamic";

/** One job's state and progress, for the live progress bars. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const auth = await requireApi();
  if ("response" in auth) return auth.response;
  const job = await getJob(await getDb(), (await params).id);
  if (!job) return Response.json({ error: "No such job." }, { status: 404 });
  const { id, kind, providerId, state, progress, progressText, counts, result, error, attempts, createdAt, startedAt, finishedAt } = job;
  return Response.json({ id, kind, providerId, state, progress, progressText, counts, result, error, attempts, createdAt, startedAt, finishedAt });
}
