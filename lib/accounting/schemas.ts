import { z } from "zod";
import { VO_PATTERN, VO_PROBLEM, type SuMultiplier } from "@/lib/domain/accounting";
import { formLines } from "@/lib/domain/form-lines";

/** A percentage typed into a form, as a fraction 0–1. */
const percent = (label: string) =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      const n = Number(s.replace(/%$/, ""));
      if (s === "" || !Number.isFinite(n) || n < 0 || n > 100) {
        ctx.addIssue({ code: "custom", message: `The weight of ${label} must be a percentage from 0 to 100.` });
        return z.NEVER;
      }
      return n / 100;
    });

/** `CPU=0.012` per line. */
export function parseRates(text: string): { rates: Record<string, number>; problems: string[] } {
  // A Map, then fromEntries: an SU type named "constructor" or "__proto__" is an ordinary key.
  const rates = new Map<string, number>();
  const problems: string[] = [];
  for (const { line, number } of formLines(text)) {
    const m = /^([A-Za-z0-9][\w.-]{0,39})\s*=\s*([0-9]*\.?[0-9]+)$/.exec(line);
    if (!m) problems.push(`Rate line ${number} should look like CPU=0.012 (SU type, =, cost per SU).`);
    else if (rates.has(m[1])) problems.push(`The rate of ${m[1]} is given twice.`);
    else rates.set(m[1], Number(m[2]));
  }
  return { rates: Object.fromEntries(rates), problems };
}

/** `SU type | factor | flavor name pattern | extra spec key[=value]` per line (pattern or spec may be empty). */
export function parseMultipliers(text: string): { multipliers: SuMultiplier[]; problems: string[] } {
  const multipliers: SuMultiplier[] = [];
  const problems: string[] = [];
  for (const { line, number } of formLines(text)) {
    const [suType = "", factor = "", pattern = "", spec = ""] = line.split("|").map((p) => p.trim());
    const f = Number(factor);
    if (!/^[A-Za-z0-9][\w.-]{0,39}$/.test(suType)) problems.push(`Multiplier line ${number}: the SU type must be a short name such as GPU.`);
    else if (!factor || !Number.isFinite(f) || f < 0) problems.push(`Multiplier line ${number}: the factor must be a number of 0 or more.`);
    else if (!pattern && !spec) problems.push(`Multiplier line ${number}: give a flavor name pattern or an extra spec key.`);
    else {
      const eq = spec.indexOf("=");
      const extraSpec = spec ? (eq > 0 ? { key: spec.slice(0, eq).trim(), value: spec.slice(eq + 1).trim() } : { key: spec }) : null;
      multipliers.push({ suType, factor: f, flavorPattern: pattern || null, extraSpec });
    }
  }
  return { multipliers, problems };
}

export const saveRulesSchema = z.object({
  providerId: z.coerce.number().int().positive(),
  effectiveFrom: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the day the rules start, as YYYY-MM-DD.")
    .transform((s, ctx) => {
      const d = new Date(`${s}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
        ctx.addIssue({ code: "custom", message: "That day does not exist." });
        return z.NEVER;
      }
      return d;
    }),
  weightActive: percent("active"),
  weightSuspended: percent("suspended"),
  weightPaused: percent("paused"),
  weightStopped: percent("stopped (shut off)"),
  weightShelved: percent("shelved"),
  weightOther: percent("other states"),
  currency: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD or EUR.")),
  rates: z.string().default(""),
  multipliers: z.string().default(""),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});

export const saveSiteSchema = z.object({
  providerId: z.coerce.number().int().positive(),
  siteName: z.string().trim().min(1, "Give the GOCDB site name.").max(255, "Keep the site name under 256 characters.").regex(/^[^\r\n]*$/, "One line only."),
  cloudComputeService: z
    .string()
    .trim()
    .min(1, "Give the cloud compute service name.")
    .max(255, "Keep the service name under 256 characters.")
    .regex(/^[^\r\n]*$/, "One line only."),
  // Empty: no VO, records carry FQAN None.
  vo: z
    .string()
    .trim()
    .default("")
    .refine((s) => s === "" || VO_PATTERN.test(s), VO_PROBLEM),
  projectVos: z.string().max(100_000, "Keep the project VO list under 100,000 characters.").default(""),
});

/** Rates as the form's lines. */
export function formatRates(rates: Record<string, number>): string {
  return Object.entries(rates)
    .map(([t, r]) => `${t}=${r}`)
    .join("\n");
}

/** Multipliers as the form's lines. */
export function formatMultipliers(ms: readonly SuMultiplier[]): string {
  return ms
    .map((m) => {
      const spec = m.extraSpec?.key ? (m.extraSpec.value ? `${m.extraSpec.key}=${m.extraSpec.value}` : m.extraSpec.key) : "";
      return [m.suType, String(m.factor), m.flavorPattern ?? "", spec].join(" | ").replace(/( \| )+$/, "");
    })
    .join("\n");
}
