import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunView } from "@/components/launch/run-view";
import { PageHeader } from "@/components/layout/page-header";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { getJob } from "@/lib/jobs/queue";
import { getLaunchRun } from "@/lib/launch/queries";
import { toRunView } from "@/lib/launch/view";
import { cancelLaunchTest, cleanupLaunchTest, repeatLaunchTest } from "../../actions";

type Params = { params: Promise<{ runId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { runId } = await params;
  return { title: `Launch test ${runId}` };
}

export default async function RunPage({ params }: Params) {
  await requirePage("console.view");
  const { runId } = await params;
  const db = await getDb();
  const run = /^\d+$/.test(runId) ? await getLaunchRun(db, Number(runId)) : undefined;
  if (!run) notFound();
  const job = run.jobId ? await getJob(db, run.jobId) : undefined;
  return (
    <>
      <PageHeader
        title={run.kind === "readiness" ? "Cloud readiness run" : "Launch test"}
        description={`Run ${run.id} on ${run.providerName}: follows the server live; reload any time.`}
      />
      <RunView
        initial={toRunView(run, job?.state ?? null)}
        actions={{ repeat: repeatLaunchTest, cleanup: cleanupLaunchTest, cancel: cancelLaunchTest }}
        backHref={`/providers/${run.providerId}/launch-test`}
      />
    </>
  );
}
