"use client";

import Link from "next/link";
import { useEffect, useRef, useState, useTransition } from "react";
import { PreflightReportView } from "@/components/providers/preflight-report";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { PreflightReport } from "@/lib/providers/schemas";
import { verifyDraft } from "../../actions";

const FIX_LABEL = {
  adminUrl: (v: string) => `Use ${v} as the admin URL`,
  region: (v: string) => `Use region ${v}`,
} as const;

/** What the catalog offers for a failed check (its admin endpoint, its regions): each opens Connect with it filled in. */
function CatalogFixes({ draftId, report }: { draftId: string; report: PreflightReport }) {
  const fixes = report.checks.flatMap((c) => (c.status === "fail" && c.fix ? c.fix.values.map((v) => ({ field: c.fix!.field, value: v })) : []));
  if (!fixes.length) return null;
  return (
    <nav aria-label="Fixes from the catalog" className="flex flex-wrap gap-2">
      {fixes.map((f) => (
        <Link
          key={`${f.field}:${f.value}`}
          href={`/providers/new/${draftId}/connect?${new URLSearchParams({ [f.field]: f.value })}`}
          className={buttonVariants({ variant: "secondary" })}
        >
          {FIX_LABEL[f.field](f.value)}
        </Link>
      ))}
    </nav>
  );
}

export function VerifyPanel({ draftId, initial, authUrl }: { draftId: string; initial: PreflightReport | null; authUrl: string }) {
  const [report, setReport] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const started = useRef(false);

  const run = () =>
    start(async () => {
      setError(null);
      const result = await verifyDraft({ draftId });
      if (result.ok) setReport(result.data);
      else setError(result.error.message);
    });

  // The first visit runs the checks straight away; later visits show the last run.
  useEffect(() => {
    if (!initial && !started.current) {
      started.current = true;
      run();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <Card>
      <CardHeader className="flex flex-row items-center justify-between">
        <CardTitle>Preflight checks for {authUrl}</CardTitle>
        <Button variant="secondary" onClick={run} disabled={pending}>
          {pending ? "Checking…" : "Run the checks again"}
        </Button>
      </CardHeader>
      <CardContent className="grid gap-4">
        {pending ? (
          <div role="status" className="grid gap-2">
            <p className="text-sm text-slate-600">
              Discovering Keystone, getting a token, auditing every endpoint and looking for images, flavors, networks and routers…
            </p>
            <div className="h-1.5 overflow-hidden rounded bg-slate-100">
              <div className="h-full w-1/3 animate-pulse rounded bg-brand-500" />
            </div>
          </div>
        ) : null}
        {error ? <Alert tone="error">{error}</Alert> : null}
        {report ? <PreflightReportView report={report} /> : null}
        {report && !report.ok ? (
          <Alert tone="error">
            Fix the failed checks (or the connection details) before going on. Warnings do not block.
          </Alert>
        ) : null}
        {report && !pending ? <CatalogFixes draftId={draftId} report={report} /> : null}
        <div className="flex justify-between">
          <Link href={`/providers/new/${draftId}/connect`} className={buttonVariants({ variant: "secondary" })}>
            Back
          </Link>
          {report?.ok && !pending ? (
            <Link href={`/providers/new/${draftId}/network`} className={buttonVariants()}>
              Continue
            </Link>
          ) : (
            <Button disabled>Continue</Button>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
