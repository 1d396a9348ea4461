import "server-only";
import type { Db } from "@/lib/db/client";
import { registerJobHandler, type JobContext } from "@/lib/jobs/runner";
import { grantAdminRoleCommand, holdsAdminRole } from "@/lib/providers/admin-role";
import { accountSettings, openAdminClient } from "@/lib/providers/connection";
import type { ImportClient } from "./client";
import { importInstances } from "./instances";
import { importMachines, importMembers } from "./machines";
import { IMPORT_KINDS, IMPORT_RESOURCES, type ImportResource, type ImportSummary } from "./resources";
import type { ImportOptions, ImportProgress } from "./run";
import { postponeSchedules } from "./runs";
import { importSizes } from "./sizes";
import { importVolumes } from "./volumes";

type Importer = (db: Db, client: ImportClient, providerId: number, progress: ImportProgress, opts?: ImportOptions) => Promise<ImportSummary>;

export const IMPORTERS: Record<ImportResource, Importer> = {
  sizes: importSizes,
  machines: importMachines,
  members: importMembers,
  instances: importInstances,
  volumes: importVolumes,
};

/** Runs one import job with an admin client for the job's provider. */
export async function runImportJob(resource: ImportResource, { job, db, progress, signal }: JobContext): Promise<ImportSummary> {
  if (job.providerId === null) throw new Error("This import job names no provider.");
  const { client, provider } = await openAdminClient(db, job.providerId);
  try {
    // Without the admin role Glance, Nova and Cinder list only the credential's own project: the
    // import would end-date every other project's images, servers and volumes as gone.
    const adminRole = accountSettings(provider).adminRoleName.toLowerCase();
    if (!holdsAdminRole(client, adminRole)) {
      const who = `${client.token.user.name}${client.token.project ? ` on project ${client.token.project.name}` : ""}`;
      throw new Error(
        `The provider's credential (${who}) does not hold the ${adminRole} role, so the cloud would list only its own project and every other project's rows would look deleted; nothing was imported. Grant the role (${grantAdminRoleCommand(client, adminRole)}) or give the provider an admin credential.`,
      );
    }
    // Each attempt gets its own run marker (the importer's default): a retried job must not
    // count rows its failed attempt saw as seen.
    return await IMPORTERS[resource](db, client, job.providerId, progress, { signal });
  } finally {
    await client.close();
    // The next scheduled run is one interval after this one ended (see postponeSchedules).
    await postponeSchedules(db, job.providerId, [resource]).catch(() => {});
  }
}

export function registerImportJobHandlers(): void {
  for (const resource of IMPORT_RESOURCES) registerJobHandler(IMPORT_KINDS[resource], (ctx) => runImportJob(resource, ctx));
}
