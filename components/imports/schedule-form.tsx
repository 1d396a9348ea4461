"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ImportActions } from "@/lib/imports/actions";
import type { ImportResource } from "@/lib/imports/resources";
import { splitInterval, type IntervalUnit } from "@/lib/imports/resources";

/**
 * Interval (≥ 5 min, ≤ 7 days) and on/off switch of one resource's scheduled import. Key it by
 * the stored values, so it shows what was saved once the page refreshes.
 */
export function ScheduleForm({
  providerId,
  resource,
  label,
  intervalSeconds,
  enabled,
  canEdit,
  saveImportSchedule,
}: {
  providerId: number;
  resource: ImportResource;
  label: string;
  intervalSeconds: number;
  enabled: boolean;
  canEdit: boolean;
  saveImportSchedule: ImportActions["saveImportSchedule"];
}) {
  const [state, action, pending] = useActionState(saveImportSchedule, null);
  const initial = splitInterval(intervalSeconds);
  // Controlled: React resets uncontrolled fields after an action, which would throw away what
  // was typed when the server refuses it.
  const [every, setEvery] = useState(String(initial.every));
  const [unit, setUnit] = useState<IntervalUnit>(initial.unit);
  const [on, setOn] = useState(enabled);
  const id = `schedule-${providerId}-${resource}`;
  const error = state && !state.ok ? (state.error.fieldErrors?.every?.join(" ") ?? state.error.message) : undefined;
  return (
    <form action={action} className="grid gap-2" aria-label={`${label} schedule`}>
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="resource" value={resource} />
      <div className="grid gap-1">
        <Label htmlFor={`${id}-every`}>Import {label.toLowerCase()} every</Label>
        <div className="flex flex-wrap items-center gap-2">
          <Input
            id={`${id}-every`}
            name="every"
            type="number"
            min={1}
            step="any"
            value={every}
            onChange={(e) => setEvery(e.target.value)}
            disabled={!canEdit}
            className="w-20"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
          />
          <Label htmlFor={`${id}-unit`} className="sr-only">
            {label} interval unit
          </Label>
          <Select id={`${id}-unit`} name="unit" value={unit} onChange={(e) => setUnit(e.target.value as IntervalUnit)} disabled={!canEdit} className="w-28">
            <option value="minutes">minutes</option>
            <option value="hours">hours</option>
            <option value="days">days</option>
          </Select>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="enabled" checked={on} onChange={(e) => setOn(e.target.checked)} disabled={!canEdit} className="h-4 w-4" />
          On schedule
        </label>
        {canEdit ? (
          <Button type="submit" size="sm" variant="secondary" disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          Between 5 minutes and 7 days.{state?.ok ? " Saved." : ""}
        </p>
      )}
    </form>
  );
}
