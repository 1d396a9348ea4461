import { z } from "zod";
import type { GroupVars } from "./generate";

// The provider's atmosphere-ansible group_vars live in providers.cloud_config.group_vars as a
// flat {KEY: "value"} object. Edits keep every other cloud_config key (the provider edit form
// merges unknown keys back too).


export const GROUP_VAR_KEY = /^[A-Z][A-Z0-9_]*$/;
export const MAX_GROUP_VARS = 200;
export const MAX_GROUP_VAR_VALUE = 4000;

const asArray = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/**
 * The editor's rows (repeated `key` / `value` form fields, or arrays): blank rows are dropped,
 * keys must be UPPER_SNAKE and unique, values are strings. Errors name the row: `key.3`.
 */
const rows = {
  key: z.preprocess(asArray, z.array(z.string())),
  value: z.preprocess(asArray, z.array(z.string())),
};

function toGroupVars(v: { key: string[]; value: string[] }, ctx: z.RefinementCtx): GroupVars {
  const out: GroupVars = {};
  const n = Math.max(v.key.length, v.value.length);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const key = (v.key[i] ?? "").trim();
    const value = v.value[i] ?? "";
    if (!key && !value.trim()) continue;
    if (!key) {
      ctx.addIssue({ code: "custom", path: ["key", i], message: "Name this variable, or clear its value." });
      continue;
    }
    if (!GROUP_VAR_KEY.test(key)) {
      ctx.addIssue({ code: "custom", path: ["key", i], message: `${key}: use UPPER_SNAKE_CASE (A–Z, digits, _; starting with a letter), e.g. NTP_SERVERS.` });
      continue;
    }
    if (key.length > 64) {
      ctx.addIssue({ code: "custom", path: ["key", i], message: "Keep names to 64 characters." });
      continue;
    }
    if (key in out) {
      ctx.addIssue({ code: "custom", path: ["key", i], message: `${key} is set twice: keep one.` });
      continue;
    }
    if (value.length > MAX_GROUP_VAR_VALUE) {
      ctx.addIssue({ code: "custom", path: ["value", i], message: `Keep values to ${MAX_GROUP_VAR_VALUE} characters.` });
      continue;
    }
    out[key] = value;
    count++;
  }
  if (count > MAX_GROUP_VARS) ctx.addIssue({ code: "custom", path: ["key"], message: `At most ${MAX_GROUP_VARS} variables.` });
  return out;
}

export const groupVarsInputSchema = z.object(rows).transform(toGroupVars);

/** The editor's form: the provider and its rows. */
export const groupVarsFormSchema = z
  .object({ providerId: z.coerce.number("This provider link is broken.").int("This provider link is broken.").positive("This provider link is broken."), ...rows })
  .transform((v, ctx) => ({ providerId: v.providerId, vars: toGroupVars(v, ctx) }));

/** The stored group_vars of a provider's cloud_config; anything that is not KEY → string is dropped. */
export function readGroupVars(cloudConfig: unknown): GroupVars {
  const raw = cloudConfig && typeof cloudConfig === "object" ? (cloudConfig as Record<string, unknown>).group_vars : undefined;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: GroupVars = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!GROUP_VAR_KEY.test(k)) continue;
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else if (Array.isArray(v)) out[k] = v.map(String).join(" ");
  }
  return out;
}

/** Which keys an edit added, removed and changed (values stay out of the audit log). */
export function diffGroupVars(before: GroupVars, after: GroupVars): { added: string[]; removed: string[]; changed: string[] } {
  const added = Object.keys(after).filter((k) => !(k in before)).sort();
  const removed = Object.keys(before).filter((k) => !(k in after)).sort();
  const changed = Object.keys(after).filter((k) => k in before && before[k] !== after[k]).sort();
  return { added, removed, changed };
}
