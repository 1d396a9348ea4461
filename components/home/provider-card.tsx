import Link from "next/link";
import { CapacityBar } from "@/components/capacity/capacity-bar";
import { formatAge } from "@/components/capacity/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { STANDARD_CLASSES } from "@/lib/domain/capacity";
import type { HomeProvider } from "@/lib/home/queries";
import { RESOURCE_LABELS } from "@/lib/imports/resources";
import { formatCount } from "@/lib/domain/format";

const STATE_TONE = { succeeded: "success", failed: "danger", running: "info", queued: "neutral", cancelled: "warning" } as const;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

/** One provider at a glance; every figure links to the page that explains it. */
export function ProviderCard({ p, now }: { p: HomeProvider; now: Date }) {
  const base = `/providers/${p.id}`;
  const bars = p.capacity?.totals.filter((t) => (STANDARD_CLASSES as readonly string[]).includes(t.resourceClass)) ?? [];
  return (
    <Card data-provider={p.name} aria-labelledby={`provider-${p.id}-name`}>
      <CardHeader className="flex items-baseline justify-between gap-2">
        <h2 id={`provider-${p.id}-name`} className="text-base font-semibold text-slate-900">
          <Link href={base} className="hover:underline">
            {p.name}
          </Link>
        </h2>
        {p.isActive ? <Badge tone="success">active</Badge> : <Badge tone="warning">inactive</Badge>}
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid gap-2">
          <Row label="Preflight">
            {p.preflight ? (
              <Link href={base} className="hover:underline">
                <Badge tone={p.preflight.ok ? "success" : "danger"}>{p.preflight.ok ? "passed" : "failed"}</Badge>{" "}
                <span className="text-slate-600">{formatAge(p.preflight.at, now)}</span>
                {p.preflight.failing.length ? <span className="block text-xs text-red-700">Failing: {p.preflight.failing.join(", ")}</span> : null}
              </Link>
            ) : (
              <span className="text-slate-500">never run</span>
            )}
          </Row>
          <Row label="Imports">
            {p.imports.length ? (
              <ul className="grid gap-0.5" aria-label={`Last imports of ${p.name}`}>
                {p.imports.map((i) => (
                  <li key={i.resource} data-resource={i.resource}>
                    <Link href={`${base}/imports?resource=${i.resource}`} className="hover:underline">
                      {RESOURCE_LABELS[i.resource]} <Badge tone={STATE_TONE[i.state as keyof typeof STATE_TONE] ?? "neutral"}>{i.state}</Badge>{" "}
                      <span className="text-slate-600">{formatAge(i.finishedAt ?? i.at, now)}</span>
                      {i.changes ? (
                        <span className="text-xs text-slate-500">
                          {" "}
                          · +{i.changes.added} ~{i.changes.updated} −{i.changes.endDated}
                        </span>
                      ) : null}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <Link href={`${base}/imports`} className="text-slate-500 hover:underline">
                nothing imported yet
              </Link>
            )}
          </Row>
          <Row label="Jobs">
            <Link href={`${base}/imports`} className="hover:underline">
              {p.jobs.live} running · <span className={p.jobs.failed ? "text-red-700" : undefined}>{p.jobs.failed} failed (24 h)</span>
            </Link>
          </Row>
          <Row label="Accounts">
            <Link href={`${base}/accounts`} className="hover:underline">
              {formatCount(p.accounts.active)} active · <span className={p.accounts.failed ? "text-red-700" : undefined}>{formatCount(p.accounts.failed)} failed</span> ·{" "}
              {formatCount(p.accounts.provisioning)} provisioning
            </Link>
          </Row>
          <Row label="Allocation">
            {p.allocation ? (
              <Link href={`${base}/allocation`} className="hover:underline">
                <span className={p.allocation.over100 ? "text-red-700" : undefined}>
                  {p.allocation.over100}
                  {p.allocation.capped ? "+" : ""} over 100 %
                </span>{" "}
                · {p.allocation.over80}
                {p.allocation.capped ? "+" : ""} over 80 %
                {p.allocation.top.length ? <span className="block truncate text-xs text-slate-500">{p.allocation.top.map((t) => `${t.username} ${Math.round(t.percent)} %`).join(", ")}</span> : null}
              </Link>
            ) : (
              <Link href={`${base}/allocation`} className="text-slate-500 hover:underline">
                not computed yet
              </Link>
            )}
          </Row>
        </dl>
        <Link href={`${base}/capacity`} className="grid gap-2 rounded-md p-1 hover:bg-slate-50" aria-label={`Capacity of ${p.name}`}>
          {bars.length ? (
            bars.map((t) => <CapacityBar key={t.resourceClass} resourceClass={t.resourceClass} used={t.used} usable={t.usable} compact />)
          ) : (
            <span className="text-sm text-slate-500">No capacity snapshot yet.</span>
          )}
          <span className="text-xs text-slate-500">
            {p.capacity ? `Capacity as of ${formatAge(p.capacity.at, now)}.` : ""}
            {p.capacityError ? <span className="text-red-700"> Last snapshot failed {formatAge(p.capacityError.at, now)}.</span> : null}
          </span>
        </Link>
      </CardContent>
    </Card>
  );
}
