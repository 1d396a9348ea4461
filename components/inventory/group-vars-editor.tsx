"use client";

import { Plus, Trash2 } from "lucide-react";
import { useActionState, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";
import type { GroupVars } from "@/lib/inventory/generate";
import { SUGGESTED_GROUP_VARS } from "@/lib/inventory/suggested-vars";
import { plural } from "@/lib/domain/format";

type Row = { id: number; key: string; value: string };
type SaveResult = ActionResult<{ count: number; added: string[]; removed: string[]; changed: string[] }>;

const toRows = (vars: GroupVars): Row[] => Object.keys(vars).sort().map((k, i) => ({ id: i, key: k, value: vars[k] }));

/** Edits the provider's group_vars as KEY = value rows; saved by a server action. */
export function GroupVarsEditor({
  providerId,
  initial,
  canEdit,
  action,
}: {
  providerId: number;
  initial: GroupVars;
  canEdit: boolean;
  action: (prev: SaveResult | null, form: FormData) => Promise<SaveResult>;
}) {
  const [rows, setRows] = useState<Row[]>(() => {
    const r = toRows(initial);
    return r.length ? r : [{ id: 0, key: "", value: "" }];
  });
  // Row ids only need to be stable within this editor; starting after the initial rows keeps
  // server and client renders identical.
  const ids = useRef(Math.max(1, Object.keys(initial).length));
  const nextId = () => ids.current++;
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const present = new Set(rows.map((r) => r.key.trim()));
  const update = (id: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const add = (key = "", value = "") =>
    setRows((rs) => {
      // Fill an empty last row rather than stacking blanks.
      const last = rs.at(-1);
      if (last && !last.key && !last.value) return [...rs.slice(0, -1), { ...last, key, value }];
      return [...rs, { id: nextId(), key, value }];
    });

  return (
    <form action={formAction} className="grid gap-3" noValidate>
      <input type="hidden" name="providerId" value={providerId} />
      {state?.ok ? (
        <Alert tone="success">
          Saved {plural(state.data.count, "variable")}
          {state.data.added.length + state.data.removed.length + state.data.changed.length === 0 ? " (nothing changed)" : ""}.
        </Alert>
      ) : state && !state.ok ? (
        <Alert tone="error">{state.error.message}</Alert>
      ) : null}
      <ol className="grid gap-2" aria-label="Group variables">
        {rows.map((r, i) => (
          <li key={r.id} className="grid grid-cols-[minmax(10rem,14rem)_1fr_auto] items-start gap-2">
            <Field id={`gv-key-${r.id}`} label={`Variable ${i + 1} name`} error={fe?.[`key.${i}`]}>
              <Input
                id={`gv-key-${r.id}`}
                name="key"
                value={r.key}
                onChange={(e) => update(r.id, { key: e.target.value.toUpperCase() })}
                placeholder="TIMEZONE"
                className="font-mono"
                spellCheck={false}
                autoComplete="off"
                disabled={!canEdit}
              />
            </Field>
            <Field id={`gv-value-${r.id}`} label={`Variable ${i + 1} value`} error={fe?.[`value.${i}`]}>
              <Input
                id={`gv-value-${r.id}`}
                name="value"
                value={r.value}
                onChange={(e) => update(r.id, { value: e.target.value })}
                placeholder="America/Phoenix"
                className="font-mono"
                spellCheck={false}
                autoComplete="off"
                disabled={!canEdit}
              />
            </Field>
            {canEdit ? (
              <Button
                type="button"
                variant="ghost"
                size="icon"
                className="mt-6"
                aria-label={`Remove variable ${i + 1}${r.key ? ` (${r.key})` : ""}`}
                onClick={() => setRows((rs) => (rs.length > 1 ? rs.filter((x) => x.id !== r.id) : [{ id: nextId(), key: "", value: "" }]))}
              >
                <Trash2 aria-hidden className="h-4 w-4" />
              </Button>
            ) : (
              <span />
            )}
          </li>
        ))}
      </ol>
      {canEdit ? (
        <div className="flex flex-wrap items-center gap-2">
          <Button type="button" variant="secondary" size="sm" onClick={() => add()}>
            <Plus aria-hidden className="h-4 w-4" /> Add variable
          </Button>
          {SUGGESTED_GROUP_VARS.filter((s) => !present.has(s.key)).map((s) => (
            <Button key={s.key} type="button" variant="ghost" size="sm" title={s.hint} onClick={() => add(s.key, s.example)}>
              <Plus aria-hidden className="h-4 w-4" /> {s.key}
            </Button>
          ))}
          <Button type="submit" className="ml-auto" disabled={pending}>
            {pending ? "Saving…" : "Save group_vars"}
          </Button>
        </div>
      ) : (
        <p className="text-xs text-slate-500">Only staff who manage providers can change these.</p>
      )}
      <p className="text-xs text-slate-500">
        Names are UPPER_SNAKE_CASE; values are written as quoted strings. Blank rows are ignored.
      </p>
    </form>
  );
}
