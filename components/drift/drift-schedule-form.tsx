"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions/errors";
import { splitInterval, type IntervalUnit } from "@/lib/imports/resources";

type Result = { message: string; intervalSeconds: number; enabled: boolean; nextRunAt: string };

/**
 * Interval (≥ 5 min, ≤ 7 days) and on/off switch of the provider's scheduled drift check, like
 * an import schedule. Not keyed by the stored values: the save refreshes the page, and a remount
 * would drop the "Saved" answer (the fields already hold what was saved).
 */
export function DriftScheduleForm({
  providerId,
  intervalSeconds,
  enabled,
  action,
}: {
  providerId: number;
  intervalSeconds: number;
  enabled: boolean;
  action: (prev: ActionResult<Result> | null, form: FormData) => Promise<ActionResult<Result>>;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const initial = splitInterval(intervalSeconds);
  // Controlled: React resets uncontrolled fields after an action, losing what was typed on a refusal.
  const [every, setEvery] = useState(String(initial.every));
  const [unit, setUnit] = useState<IntervalUnit>(initial.unit);
  const [on, setOn] = useState(enabled);
  const id = `drift-schedule-${providerId}`;
  const error = state && !state.ok ? (state.error.fieldErrors?.every?.join(" ") ?? state.error.message) : undefined;
  return (
    <form action={dispatch} className="grid gap-2" aria-label="Drift check schedule">
      <input type="hidden" name="providerId" value={providerId} />
      <div className="grid gap-1">
        <Label htmlFor={`${id}-every`}>Check for drift every</Label>
        <div className="flex flex-wrap items-center gap-2">
          <Input
            id={`${id}-every`}
            name="every"
            type="number"
            min={1}
            step="any"
            value={every}
            onChange={(e) => setEvery(e.target.value)}
            className="w-20"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
          />
          <Label htmlFor={`${id}-unit`} className="sr-only">
            Drift check interval unit
          </Label>
          <Select id={`${id}-unit`} name="unit" value={unit} onChange={(e) => setUnit(e.target.value as IntervalUnit)} className="w-28">
            <option value="minutes">minutes</option>
            <option value="hours">hours</option>
            <option value="days">days</option>
          </Select>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="enabled" checked={on} onChange={(e) => setOn(e.target.checked)} className="h-4 w-4" />
          On schedule
        </label>
        <Button type="submit" size="sm" variant="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save schedule"}
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          Between 5 minutes and 7 days.{state?.ok ? ` ${state.data.message}` : ""}
        </p>
      )}
    </form>
  );
}
