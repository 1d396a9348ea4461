// Action definitions; the routes' "use server" actions.ts files wrap them with defineAction/defineFormAction.
import { revalidatePath } from "next/cache";
import { ActionError } from "@/lib/actions/errors";
import { actionDefinition, type FormActionOf } from "@/lib/actions/safe-action";
import { getProvider } from "@/lib/db/queries/providers";
import { enqueueImports } from "@/lib/imports/runs";
import { IMPORT_RESOURCES, RESOURCE_LABELS } from "@/lib/imports/resources";
import { listSchedules, updateSchedule } from "@/lib/imports/schedules";
import { runImportsSchema, updateScheduleSchema } from "@/lib/imports/schemas";

function refresh(providerId: number) {
  revalidatePath("/imports");
  revalidatePath(`/providers/${providerId}/imports`);
}

/** "Import sizes" / "Import images" / "Import instances" / "Import all". */
export const runImports = actionDefinition({
  name: "runImports",
  permission: "imports.run",
  input: runImportsSchema,
  async handler({ providerId, resource }, ctx) {
    const provider = await getProvider(ctx.db, providerId);
    if (!provider) throw new ActionError("not_found", `There is no provider ${providerId}.`);
    const resources = resource === "all" ? IMPORT_RESOURCES : [resource];
    const jobs = await enqueueImports(ctx.db, { providerId, resources, userId: ctx.user.id });
    await ctx.audit({
      action: "import.run",
      targetType: "provider",
      targetId: providerId,
      details: {
        resources,
        jobs: jobs.map((j) => ({ resource: j.resource, jobId: j.jobId, alreadyRunning: !j.created })),
      },
    });
    refresh(providerId);
    const already = jobs.filter((j) => !j.created).map((j) => RESOURCE_LABELS[j.resource].toLowerCase());
    return {
      jobs,
      message: already.length
        ? `Started. ${already.join(" and ")} ${already.length === 1 ? "was" : "were"} already importing: following that run instead.`
        : "Started.",
    };
  },
});

/** Saves a resource's import interval and on/off switch. */
export const saveImportSchedule = actionDefinition({
  name: "saveImportSchedule",
  permission: "imports.run",
  input: updateScheduleSchema,
  async handler({ providerId, resource, intervalSeconds, enabled }, ctx) {
    const provider = await getProvider(ctx.db, providerId);
    if (!provider) throw new ActionError("not_found", `There is no provider ${providerId}.`);
    const before = (await listSchedules(ctx.db, providerId)).find((s) => s.resource === resource);
    const row = await updateSchedule(ctx.db, providerId, resource, { intervalSeconds, enabled });
    await ctx.audit({
      action: "import.schedule.update",
      targetType: "provider",
      targetId: providerId,
      details: {
        resource,
        intervalSeconds,
        enabled,
        previous: before ? { intervalSeconds: before.intervalSeconds, enabled: before.enabled } : null,
      },
    });
    refresh(providerId);
    return { nextRunAt: row.nextRunAt.toISOString(), intervalSeconds: row.intervalSeconds, enabled: row.enabled };
  },
});

/** The server actions made from these, as components take them in props. */
export type ImportActions = {
  runImports: FormActionOf<typeof runImports>;
  saveImportSchedule: FormActionOf<typeof saveImportSchedule>;
};
