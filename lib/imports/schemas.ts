import { z } from "zod";
import { IMPORT_RESOURCES, INTERVAL_UNITS, MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from "./resources";

const providerId = z.coerce.number("This provider link is broken.").int("This provider link is broken.").positive("This provider link is broken.");

export const runImportsSchema = z.object({
  providerId,
  resource: z.enum([...IMPORT_RESOURCES, "all"], "Choose sizes, images, image members, instances, volumes or all."),
});


/** The fields of every schedule form: "every N minutes|hours|days", on or off (a checkbox sends "on" or nothing). */
export const scheduleFields = {
  every: z.coerce.number("Enter a number.").positive("Enter a number above 0.").max(100_000, "Enter a smaller number."),
  unit: z.enum(["minutes", "hours", "days"], "Choose minutes, hours or days."),
  enabled: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
};

/**
 * The form's interval in seconds, or an issue on "every" saying the bounds in the words of what
 * is scheduled ("Import", "Check") and null.
 */
export function scheduleInterval(v: { every: number; unit: keyof typeof INTERVAL_UNITS }, ctx: z.RefinementCtx, verb: string): number | null {
  const intervalSeconds = Math.round(v.every * INTERVAL_UNITS[v.unit]);
  if (intervalSeconds < MIN_INTERVAL_SECONDS) {
    ctx.addIssue({ code: "custom", path: ["every"], message: `${verb} at most every 5 minutes.` });
    return null;
  }
  if (intervalSeconds > MAX_INTERVAL_SECONDS) {
    ctx.addIssue({ code: "custom", path: ["every"], message: `${verb} at least every 7 days.` });
    return null;
  }
  return intervalSeconds;
}

/** An import's schedule form. */
export const updateScheduleSchema = z
  .object({
    providerId,
    resource: z.enum(IMPORT_RESOURCES, "Choose sizes, images, image members, instances or volumes."),
    ...scheduleFields,
  })
  .transform((v, ctx) => {
    const intervalSeconds = scheduleInterval(v, ctx, "Import");
    if (intervalSeconds === null) return z.NEVER;
    return { providerId: v.providerId, resource: v.resource, intervalSeconds, enabled: v.enabled };
  });

