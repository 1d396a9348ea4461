// Reading and writing a project's quotas through Nova, Cinder and Neutron, as one set of
// values (lib/domain/quotas.ts). A service missing from the catalog is skipped with a note.
// Imports lib/openstack/client (not the server-only index): also runs in the worker and tsx.
import type { OpenStackClient } from "@/lib/openstack/client";
import { QUOTA_SERVICES, SERVICE_LABELS, type QuotaService, type QuotaUsage, type QuotaValues } from "@/lib/domain/quotas";

const CATALOG_TYPE: Record<QuotaService, string> = { compute: "compute", volume: "block-storage", network: "network" };

/** The quota services this cloud's catalog offers. */
export function quotaServicesOf(client: OpenStackClient): { present: QuotaService[]; skipped: QuotaService[] } {
  const all = Object.keys(QUOTA_SERVICES) as QuotaService[];
  const present = all.filter((s) => client.hasService(CATALOG_TYPE[s]));
  return { present, skipped: all.filter((s) => !present.includes(s)) };
}

export function skippedNote(skipped: QuotaService[]): string | null {
  if (!skipped.length) return null;
  return `${skipped.map((s) => SERVICE_LABELS[s]).join(" and ")} skipped: not in the cloud's catalog`;
}

export type CloudQuota = {
  /** Limits the cloud has (only for services present). */
  values: Partial<QuotaValues>;
  /** What the project uses now. */
  usage: QuotaUsage;
  skipped: QuotaService[];
};

/** Limits and usage of a project: Nova /detail, Cinder ?usage=true, Neutron /details (in parallel). */
export async function readProjectQuota(client: OpenStackClient, projectId: string): Promise<CloudQuota> {
  const { present, skipped } = quotaServicesOf(client);
  const values: Partial<QuotaValues> = {};
  const usage: QuotaUsage = {};
  await Promise.all(
    present.map(async (s) => {
      if (s === "compute") {
        const d = await client.compute.quotaSets.getDetail(projectId);
        const pairs = { instances: d.instances, cores: d.cores, ram: d.ramMb };
        for (const [k, u] of Object.entries(pairs)) {
          values[k as keyof QuotaValues] = u.limit;
          usage[k as keyof QuotaValues] = u.inUse + u.reserved;
        }
      } else if (s === "volume") {
        const d = await client.blockStorage.quotaSets.getUsage(projectId);
        const pairs = { volumes: d.volumes, gigabytes: d.gigabytes, snapshots: d.snapshots };
        for (const [k, u] of Object.entries(pairs)) {
          values[k as keyof QuotaValues] = u.limit;
          usage[k as keyof QuotaValues] = u.inUse + u.reserved;
        }
      } else {
        const d = await client.network.quotas.getDetails(projectId);
        const pairs = {
          floatingip: d.floatingip,
          network: d.network,
          subnet: d.subnet,
          port: d.port,
          router: d.router,
          security_group: d.securityGroup,
          security_group_rule: d.securityGroupRule,
        };
        for (const [k, u] of Object.entries(pairs)) {
          values[k as keyof QuotaValues] = u.limit;
          usage[k as keyof QuotaValues] = u.inUse + u.reserved;
        }
      }
    }),
  );
  return { values, usage, skipped };
}

/** Limits only (cheaper than with usage): used by the drift check. */
export async function readProjectLimits(client: OpenStackClient, projectId: string, present: QuotaService[]): Promise<Partial<QuotaValues>> {
  const out: Partial<QuotaValues> = {};
  await Promise.all(
    present.map(async (s) => {
      if (s === "compute") {
        const q = await client.compute.quotaSets.get(projectId);
        Object.assign(out, { instances: q.instances, cores: q.cores, ram: q.ramMb });
      } else if (s === "volume") {
        const q = await client.blockStorage.quotaSets.get(projectId);
        Object.assign(out, { volumes: q.volumes, gigabytes: q.gigabytes, snapshots: q.snapshots });
      } else {
        const q = await client.network.quotas.get(projectId);
        Object.assign(out, {
          floatingip: q.floatingip,
          network: q.network,
          subnet: q.subnet,
          port: q.port,
          router: q.router,
          security_group: q.securityGroup,
          security_group_rule: q.securityGroupRule,
        });
      }
    }),
  );
  return out;
}

/**
 * Writes the values through the APIs present (only the keys given), in parallel. `force` lets
 * Nova take limits below what the project uses (enforcement's cores 0).
 */
export async function writeProjectQuota(
  client: OpenStackClient,
  projectId: string,
  values: Partial<QuotaValues>,
  present: QuotaService[],
  options: { force?: boolean } = {},
): Promise<void> {
  const has = (keys: readonly string[]) => keys.some((k) => values[k as keyof QuotaValues] !== undefined);
  await Promise.all(
    present.map(async (s) => {
      if (!has(QUOTA_SERVICES[s])) return;
      if (s === "compute") {
        await client.compute.quotaSets.update(projectId, { instances: values.instances, cores: values.cores, ramMb: values.ram, ...(options.force ? { force: true } : {}) });
      } else if (s === "volume") {
        await client.blockStorage.quotaSets.update(projectId, { volumes: values.volumes, gigabytes: values.gigabytes, snapshots: values.snapshots });
      } else {
        await client.network.quotas.update(projectId, {
          floatingip: values.floatingip,
          network: values.network,
          subnet: values.subnet,
          port: values.port,
          router: values.router,
          securityGroup: values.security_group,
          securityGroupRule: values.security_group_rule,
        });
      }
    }),
  );
}
