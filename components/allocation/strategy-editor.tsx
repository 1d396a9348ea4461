"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ActionResult } from "@/lib/actions/errors";
import { checkStrategy } from "@/lib/allocation/strategy-check";
import type { SavedStrategy, StrategyPreview } from "@/lib/allocation/service";
import {
  BEHAVIOR_EXPLANATIONS,
  COUNTING_BEHAVIORS,
  describeStrategy,
  formatAmount,
  REFRESH_BEHAVIORS,
  RULES_BEHAVIORS,
  usageUnit,
  type AllocationStrategy,
} from "@/lib/domain/allocation";
import { cn } from "@/lib/utils";

type FormAction = (prev: ActionResult<SavedStrategy> | null, form: FormData) => Promise<ActionResult<SavedStrategy>>;
type PreviewAction = (input: AllocationStrategy & { providerId: number }) => Promise<ActionResult<StrategyPreview>>;

type Draft = { countingBehavior: string; refreshBehaviors: string[]; rulesBehaviors: string[]; threshold: string };

const toggle = (list: string[], name: string, on: boolean) => (on ? [...list, name] : list.filter((n) => n !== name));

/** Waits until `value` has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function sameStrategy(a: Draft, b: AllocationStrategy | null): boolean {
  if (!b) return false;
  const sorted = (l: readonly string[]) => [...l].sort().join("|");
  return (
    a.countingBehavior === b.countingBehavior &&
    sorted(a.refreshBehaviors) === sorted(b.refreshBehaviors) &&
    sorted(a.rulesBehaviors) === sorted(b.rulesBehaviors) &&
    Number(a.threshold) === b.threshold
  );
}

export function StrategyEditor({
  providerId,
  providerName,
  saved,
  defaults,
  saveAction,
  previewAction,
}: {
  providerId: number;
  providerName: string;
  /** The stored strategy, or null when the provider has none yet. */
  saved: AllocationStrategy | null;
  /** What the form starts from when there is none: the seed's combination. */
  defaults: AllocationStrategy;
  saveAction: FormAction;
  previewAction: PreviewAction;
}) {
  const start = saved ?? defaults;
  const [draft, setDraft] = useState<Draft>({
    countingBehavior: start.countingBehavior,
    refreshBehaviors: [...start.refreshBehaviors],
    rulesBehaviors: [...start.rulesBehaviors],
    threshold: String(start.threshold),
  });
  const [state, dispatch, pending] = useActionState(saveAction, null);
  const queryClient = useQueryClient();
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;

  // The same checks as the server, so the summary and preview only run on a valid strategy.
  const checked = useMemo(() => checkStrategy(draft), [draft]);
  const clientErrors = useMemo(
    () => ("issues" in checked ? Object.fromEntries(checked.issues.map((i) => [i.path, i.message])) : {}) as Record<string, string>,
    [checked],
  );
  const valid = "strategy" in checked ? checked.strategy : null;
  const debounced = useDebounced(valid, 400);
  const unit = usageUnit(draft.rulesBehaviors);
  const unchanged = sameStrategy(draft, saved);

  const preview = useQuery({
    queryKey: ["allocation-preview", providerId, debounced],
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    queryFn: async () => {
      const r = await previewAction({ providerId, ...debounced! });
      if (!r.ok) throw new Error(r.error.message);
      return r.data;
    },
  });

  useEffect(() => {
    if (state?.ok) void queryClient.invalidateQueries({ queryKey: ["allocation-preview", providerId] });
  }, [state, queryClient, providerId]);

  const err = (key: keyof Draft) => fe?.[key] ?? (clientErrors[key] ? [clientErrors[key]] : undefined);

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <form action={dispatch} className="grid gap-4" noValidate aria-label={`Allocation strategy of ${providerName}`}>
        <input type="hidden" name="providerId" value={providerId} />
        {state?.ok ? (
          <Alert tone="success">
            <p className="font-medium">{state.data.before ? "Strategy saved." : "Strategy created."}</p>
            <p className="mt-1" data-testid="saved-summary">
              {state.data.summary}
            </p>
          </Alert>
        ) : null}
        {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
        <Card>
          <CardHeader>
            <CardTitle>Behaviours and allocation</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-6">
            <BehaviorFieldset
              name="countingBehavior"
              legend="Counting behaviour (choose one)"
              type="radio"
              options={COUNTING_BEHAVIORS}
              isChecked={(name) => draft.countingBehavior === name}
              onChange={(name) => setDraft((d) => ({ ...d, countingBehavior: name }))}
              error={err("countingBehavior")}
            />
            <BehaviorFieldset
              name="refreshBehaviors"
              legend="Refresh behaviours"
              type="checkbox"
              options={REFRESH_BEHAVIORS}
              isChecked={(name) => draft.refreshBehaviors.includes(name)}
              onChange={(name, on) => setDraft((d) => ({ ...d, refreshBehaviors: toggle(d.refreshBehaviors, name, on) }))}
              error={err("refreshBehaviors")}
            />
            <BehaviorFieldset
              name="rulesBehaviors"
              legend="Rules behaviours"
              type="checkbox"
              options={RULES_BEHAVIORS}
              isChecked={(name) => draft.rulesBehaviors.includes(name)}
              onChange={(name, on) => setDraft((d) => ({ ...d, rulesBehaviors: toggle(d.rulesBehaviors, name, on) }))}
              error={err("rulesBehaviors")}
            />
            <div className="max-w-xs">
              <Field
                id="threshold"
                label={`Allocation per refresh (${unit})`}
                hint="Granted at each refresh. A user's own allocation can be set in the usage table."
                error={err("threshold")}
              >
                <Input
                  id="threshold"
                  name="threshold"
                  inputMode="decimal"
                  value={draft.threshold}
                  onChange={(e) => setDraft((d) => ({ ...d, threshold: e.target.value }))}
                />
              </Field>
            </div>
          </CardContent>
        </Card>
        <div className="rounded-md border border-slate-200 bg-white px-4 py-3 text-sm">
          <p className="font-medium text-slate-800">In words</p>
          <p className="mt-1 text-slate-700" data-testid="draft-summary" aria-live="polite">
            {valid ? describeStrategy(valid) : "Fix the form to see the summary."}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending || !valid}>
            {pending ? "Saving…" : saved ? "Save strategy" : "Create strategy"}
          </Button>
          {saved && unchanged ? <span className="text-sm text-slate-500">No changes from the saved strategy.</span> : null}
        </div>
      </form>
      <PreviewPanel
        preview={preview.data}
        loading={preview.isFetching}
        error={preview.error?.message ?? (valid ? null : "Fix the form to see the preview.")}
        hasSaved={saved !== null}
      />
    </div>
  );
}

/** One group of behaviours: radios (choose one) or checkboxes, each with what it does, and the group's error. */
function BehaviorFieldset<N extends keyof typeof BEHAVIOR_EXPLANATIONS>({
  name,
  legend,
  type,
  options,
  isChecked,
  onChange,
  error,
}: {
  name: "countingBehavior" | "refreshBehaviors" | "rulesBehaviors";
  legend: string;
  type: "radio" | "checkbox";
  options: readonly N[];
  isChecked: (option: N) => boolean;
  onChange: (option: N, checked: boolean) => void;
  error: string[] | undefined;
}) {
  return (
    <fieldset className="grid gap-2" aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="mb-1 text-sm font-semibold text-slate-800">{legend}</legend>
      {options.map((option) => (
        <label key={option} className="flex items-start gap-2 text-sm">
          <input
            type={type}
            name={name}
            value={option}
            checked={isChecked(option)}
            onChange={(e) => onChange(option, e.target.checked)}
            className="mt-1"
          />
          <span>
            <span className="font-medium">{option}</span>
            <span className="block text-slate-600">{BEHAVIOR_EXPLANATIONS[option]}</span>
          </span>
        </label>
      ))}
      {error ? (
        <p id={`${name}-error`} className="text-xs text-red-600">
          {error.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

function delta(before: number, after: number) {
  const diff = after - before;
  if (Math.abs(diff) < 0.005) return <span className="text-slate-500">no change</span>;
  return (
    <span className={diff > 0 ? "text-red-700" : "text-emerald-700"}>
      {diff > 0 ? "+" : "−"}
      {formatAmount(Math.abs(diff))}
    </span>
  );
}

function PreviewPanel({
  preview,
  loading,
  error,
  hasSaved,
}: {
  preview: StrategyPreview | undefined;
  loading: boolean;
  error: string | null;
  hasSaved: boolean;
}) {
  return (
    <Card className="self-start">
      <CardHeader>
        <CardTitle>Preview: the five heaviest users this period</CardTitle>
        <p className="mt-1 text-xs text-slate-500">
          {hasSaved ? "Usage under the saved strategy → under the form's strategy, as of now." : "Usage under the form's strategy, as of now."}
        </p>
      </CardHeader>
      <CardContent className="grid gap-3" aria-busy={loading}>
        {error ? <Alert tone="warning">{error}</Alert> : null}
        {!preview && !error ? <p className="text-sm text-slate-500">Computing…</p> : null}
        {preview && preview.rows.length === 0 ? (
          <p className="text-sm text-slate-600">No user has an account on this provider yet, so there is nothing to preview.</p>
        ) : null}
        {preview && preview.rows.length > 0 ? (
          <div className={cn("transition-opacity", loading && "opacity-60")}>
            <Table aria-label="Preview of usage before and after the change">
              <THead>
                <tr>
                  <TH>User</TH>
                  <TH>Usage{preview.beforeUnit ? " now → with changes" : ""}</TH>
                  <TH>Remaining</TH>
                </tr>
              </THead>
              <TBody>
                {preview.rows.map((r) => (
                  <TR key={r.userId}>
                    <TD className="font-medium">{r.username}</TD>
                    <TD className="whitespace-nowrap tabular-nums" data-testid={`preview-usage-${r.username}`}>
                      {r.before ? (
                        <>
                          {formatAmount(r.before.usage)} → {formatAmount(r.after.usage)}{" "}
                          {preview.beforeUnit === preview.afterUnit ? <>({delta(r.before.usage, r.after.usage)})</> : null}
                        </>
                      ) : (
                        formatAmount(r.after.usage)
                      )}
                    </TD>
                    <TD className="whitespace-nowrap tabular-nums">
                      {r.before ? `${formatAmount(r.before.remaining)} → ${formatAmount(r.after.remaining)}` : formatAmount(r.after.remaining)}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            <p className="mt-2 text-xs text-slate-500">
              {preview.beforeUnit && preview.beforeUnit !== preview.afterUnit
                ? `Units change: ${preview.beforeUnit} → ${preview.afterUnit}.`
                : `In ${preview.afterUnit}.`}{" "}
              Heaviest by the {preview.rankedBy === "saved" ? "saved" : "proposed"} strategy.
            </p>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
