import { requireApi } from "@/lib/auth/api";
import { getDb } from "@/lib/db";
import { getJob, waitingReason } from "@/lib/jobs/queue";
import { toJobView } from "@/lib/jobs/view";
import { parseUsersQuery, trimUserStatuses, usernamesWithStatus } from "@/lib/accounts/user-statuses";

export const dynamic = "force-dynamic";

/**
 * One job's state and progress, for the live progress bars. A per-user status map
 * (counts.users) comes trimmed: totals plus at most 200 failed and 200 other users by default;
 * ?users=running|failed|queued|done&offset=&limit= pages one status, and
 * ?users=failed&format=names lists just the usernames (for "retry the failed").
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const auth = await requireApi();
  if ("response" in auth) return auth.response;
  const sp = new URL(req.url).searchParams;
  const usersQuery = parseUsersQuery(sp);
  if (!usersQuery) return Response.json({ error: "users must be running, failed, queued or done; offset and limit whole numbers." }, { status: 400 });
  const db = await getDb();
  const job = await getJob(db, (await params).id);
  if (!job) return Response.json({ error: "No such job." }, { status: 404 });
  if (sp.get("format") === "names") {
    if (usersQuery.mode !== "status") return Response.json({ error: "format=names needs users=<status>." }, { status: 400 });
    return Response.json({ id: job.id, state: job.state, usernames: usernamesWithStatus(job.counts, usersQuery.status) });
  }
  const view = toJobView(job, trimUserStatuses(job.counts as Record<string, unknown>, usersQuery));
  return Response.json({ ...view, waiting: await waitingReason(db, job) });
}
