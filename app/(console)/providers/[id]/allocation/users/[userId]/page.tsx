import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { UsageBar } from "@/components/allocation/usage-bar";
import { UsageChart } from "@/components/allocation/usage-chart";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { getStrategy } from "@/lib/allocation/queries";
import { getUserUsage } from "@/lib/allocation/service";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { compileStrategy, describeStrategy, formatAmount, segmentMultiplier } from "@/lib/domain/allocation";
import { formatDateTime } from "@/lib/utils";
import { OverrideForm } from "@/components/enforcement/enforcement-forms";
import { can } from "@/lib/auth/permissions";
import { enforcementOverrides, enforcementStates } from "@/lib/db/schema";
import { listEvents } from "@/lib/enforcement/store";
import { eq } from "drizzle-orm";
import { setEnforcementOverride } from "./actions";
import { plural } from "@/lib/domain/format";

type Props = { params: Promise<{ id: string; userId: string }> };

// At most 9 digits: anything longer is beyond a Postgres integer id, so not found rather than a 500.
const parseId = (raw: string) => (/^\d{1,9}$/.test(raw) ? Number(raw) : NaN);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id, userId } = await params;
  return { title: `Usage of user ${userId} · provider ${id}` };
}

const HOUR = 3_600_000;

function Stat({ label, value, hint, testId }: { label: string; value: React.ReactNode; hint?: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="mt-0.5 text-xs text-slate-500">{hint}</dd> : null}
    </div>
  );
}

export default async function UserAllocationPage({ params }: Props) {
  const viewer = await requirePage("console.view");
  const raw = await params;
  const providerId = parseId(raw.id);
  const userId = parseId(raw.userId);
  if (!Number.isSafeInteger(providerId) || !Number.isSafeInteger(userId)) notFound();
  const db = await getDb();
  const provider = await getProviderForRequest(raw.id);
  if (!provider) notFound();
  const base = `/providers/${provider.id}/allocation`;
  const back = (
    <Link href={base} className={buttonVariants({ variant: "secondary" })}>
      All users on {provider.name}
    </Link>
  );
  if (!(await getStrategy(db, provider.id))) {
    return (
      <>
        <PageHeader title={`Usage on ${provider.name}`} actions={back} />
        <Alert tone="warning">
          {provider.name} has no allocation strategy yet. <Link href={base} className="font-medium underline">Create one</Link> to see usage.
        </Alert>
      </>
    );
  }
  const detail = await getUserUsage(db, provider.id, userId);
  if (!detail) notFound();
  const { user, result, series, strategy, instances } = detail;
  const [[override], [enforcement], events] = await Promise.all([
    db.select().from(enforcementOverrides).where(eq(enforcementOverrides.identityId, user.identityId)),
    db.select().from(enforcementStates).where(eq(enforcementStates.identityId, user.identityId)),
    listEvents(db, user.identityId, 20),
  ]);
  const { window, unit } = result;
  const rules = compileStrategy(strategy);
  const now = window.end;

  let runOut: React.ReactNode;
  let runOutHint: React.ReactNode;
  if (result.exhausted) {
    runOut = <span className="text-red-700">Used up</span>;
    runOutHint = `${formatAmount(-result.remaining)} ${unit} over the credit`;
  } else if (result.runsOutAt) {
    runOut = formatDateTime(result.runsOutAt);
    runOutHint =
      window.resetsAt && result.runsOutAt > window.resetsAt
        ? `after the window resets (${formatDateTime(window.resetsAt)}), so not this period`
        : "at the current burn rate, with no further credit";
  } else {
    runOut = "Not at this rate";
    runOutHint = "nothing that counts is running";
  }

  return (
    <>
      <PageHeader
        title={`${user.username} on ${provider.name}`}
        description={
          <>
            {user.displayName ? `${user.displayName} · ` : ""}joined {formatDateTime(user.joinedAt)}
            {user.override !== null ? ` · own allocation ${formatAmount(user.override)} ${unit} per refresh` : ""}
            {!user.live ? " · account removed" : ""}
          </>
        }
        actions={back}
      />
      <div className="grid gap-6">
        <p className="text-sm text-slate-700">
          <span className="font-medium">Strategy: </span>
          {describeStrategy(strategy)}. Window: {formatDateTime(window.start)} → now
          {window.resetsAt ? `; resets ${formatDateTime(window.resetsAt)}` : "; never resets"}.
        </p>
        <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <Stat label={`Usage (${unit})`} value={formatAmount(result.usage)} testId="stat-usage" hint={<UsageBar usage={result.usage} credits={result.credits} />} />
          <Stat label="Credit" value={formatAmount(result.credits)} testId="stat-credit" hint={`${plural(result.grants.length, "grant")} this window`} />
          <Stat
            label="Remaining"
            value={<span className={result.remaining < 0 ? "text-red-700" : undefined}>{formatAmount(result.remaining)}</span>}
            testId="stat-remaining"
          />
          <Stat label="Burn rate" value={`${formatAmount(result.burnRatePerHour)} / h`} testId="stat-burn" hint="from running instances that count" />
          <Stat label="Runs out" value={runOut} hint={runOutHint} testId="stat-runout" />
        </dl>
        <Card>
          <CardHeader>
            <CardTitle>Enforcement</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <p className="text-sm text-slate-700" data-testid="enforcement-state">
              {enforcement?.enforcedAt
                ? `Enforced since ${formatDateTime(enforcement.enforcedAt)}: ${
                    enforcement.action === "zero_cores"
                      ? "the cores quota is 0, so no new server can start; running servers keep running."
                      : `${enforcement.servers.length} server${enforcement.servers.length === 1 ? "" : "s"} ${enforcement.action === "stop" ? "stopped" : "shelved"} (${enforcement.servers.map((s) => s.name).join(", ") || "none running"}).`
                  } When credit is refreshed the quota is restored; servers are not restarted by themselves — ${
                    enforcement.action === "shelve" ? "unshelve them" : "start them"
                  } again when you need them.`
                : enforcement?.overSince
                  ? `Over the allocation since ${formatDateTime(enforcement.overSince)}; not enforced yet (grace period, or enforcement is off).`
                  : "Not enforced."}
              {override && override.override !== "default" ? ` Override: ${override.override === "never" ? "never enforce" : "always enforce"}${override.reason ? ` (${override.reason})` : ""}.` : ""}
            </p>
            {can(viewer, "accounts.manage") && user.live ? (
              <OverrideForm providerId={provider.id} userId={user.userId} value={override?.override ?? "default"} reason={override?.reason ?? null} action={setEnforcementOverride} />
            ) : null}
            {events.length ? (
              <Table aria-label={`Enforcement events of ${user.username}`}>
                <THead>
                  <tr>
                    <TH>When</TH>
                    <TH>What</TH>
                    <TH>Details</TH>
                  </tr>
                </THead>
                <TBody>
                  {events.map((e) => (
                    <TR key={e.id} data-kind={e.kind}>
                      <TD className="whitespace-nowrap">{formatDateTime(e.createdAt)}</TD>
                      <TD>
                        <Badge tone={e.kind === "restore" ? "success" : e.kind === "notify" ? "info" : "danger"}>{e.kind === "notify" ? `notice ${e.threshold} %` : e.kind}</Badge>
                      </TD>
                      <TD className="text-sm text-slate-700">{e.message}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            ) : (
              <p className="text-sm text-slate-600">No enforcement notice or action for {user.username} yet.</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Cumulative usage against credit</CardTitle>
          </CardHeader>
          <CardContent>
            <UsageChart
              username={user.username}
              unit={unit}
              window={window}
              series={series}
              grants={result.grants}
              credits={result.credits}
              usage={result.usage}
              burnRatePerHour={result.burnRatePerHour}
              runsOutAt={result.runsOutAt}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Credit granted this window</CardTitle>
          </CardHeader>
          {result.grants.length === 0 ? (
            <CardContent>
              <p className="text-sm text-slate-600">No credit in this window.</p>
            </CardContent>
          ) : (
            <Table aria-label="Credit granted this window">
              <THead>
                <tr>
                  <TH>When</TH>
                  <TH>Why</TH>
                  <TH className="text-right">Amount ({unit})</TH>
                </tr>
              </THead>
              <TBody>
                {result.grants.map((g) => (
                  <TR key={g.at.toISOString()}>
                    <TD>{formatDateTime(g.at)}</TD>
                    <TD>{g.reason === "opening" ? "Window opens" : g.reason}</TD>
                    <TD className="text-right tabular-nums">{formatAmount(g.amount)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Instances this window</CardTitle>
          </CardHeader>
          {instances.length === 0 ? (
            <CardContent>
              <p className="text-sm text-slate-600">No instance of {user.username} ran on {provider.name} in this window.</p>
            </CardContent>
          ) : (
            <Table aria-label={`Instance history of ${user.username} this window`}>
              <THead>
                <tr>
                  <TH>Instance</TH>
                  <TH>Status</TH>
                  <TH>Size</TH>
                  <TH>From</TH>
                  <TH>To</TH>
                  <TH className="text-right">Counted ({unit})</TH>
                </tr>
              </THead>
              <TBody>
                {instances.flatMap((inst) =>
                  inst.segments.map((s, i) => {
                    const from = Math.max(s.start.getTime(), window.start.getTime());
                    const to = Math.min(s.end ? s.end.getTime() : now.getTime(), now.getTime());
                    const counted = (Math.max(0, to - from) / HOUR) * segmentMultiplier(rules, s);
                    return (
                      <TR key={`${inst.instanceId}-${i}`}>
                        <TD className="font-medium">{i === 0 ? inst.name : ""}</TD>
                        <TD>
                          <Badge tone={s.status.toLowerCase() === "active" ? "success" : "neutral"}>{s.status}</Badge>
                        </TD>
                        <TD className="whitespace-nowrap text-slate-600">
                          {s.vcpus} vCPU · {formatAmount(s.ramMb / 1024)} GB · {s.diskGb} GB disk
                        </TD>
                        <TD className="whitespace-nowrap">{formatDateTime(s.start)}</TD>
                        <TD className="whitespace-nowrap">{s.end ? formatDateTime(s.end) : "running"}</TD>
                        <TD className="text-right tabular-nums">{formatAmount(counted)}</TD>
                      </TR>
                    );
                  }),
                )}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
