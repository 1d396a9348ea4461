// Rows for accounting tests and the benchmark: users with an account (project) each, their
// instances and status history, and flavors with extra specs, inserted directly.
import type { Db } from "@/lib/db/client";
import { identities, instances, instanceStatusHistory, sizes, users } from "@/lib/db/schema";
import { lcg } from "@/lib/allocation/fixtures";
import type { AccountingSegment } from "@/lib/domain/accounting";

export const FLAVORS = [
  { flavorId: "f-small", name: "m1.small", vcpus: 1, ramMb: 2048, diskGb: 20, extraSpecs: {} },
  { flavorId: "f-medium", name: "m1.medium", vcpus: 2, ramMb: 4096, diskGb: 40, extraSpecs: {} },
  { flavorId: "f-large", name: "m1.large", vcpus: 4, ramMb: 8192, diskGb: 80, extraSpecs: {} },
  { flavorId: "f-gpu", name: "g1.large", vcpus: 8, ramMb: 32768, diskGb: 100, extraSpecs: { "resources:VGPU": "1" } },
  { flavorId: "f-r3", name: "r3.xlarge", vcpus: 4, ramMb: 65536, diskGb: 40, extraSpecs: {} },
];

export async function insertFlavors(db: Db, providerId: number) {
  await db.insert(sizes).values(FLAVORS.map((f) => ({ providerId, ...f })));
}

export type AccountingFixtureUser = {
  username: string;
  projectId: string;
  instances: Array<{ serverId: string; name: string; endDate?: Date | null; segments: AccountingSegment[]; addresses?: unknown }>;
};

const STATUSES = ["ACTIVE", "ACTIVE", "ACTIVE", "SHUTOFF", "SUSPENDED", "SHELVED_OFFLOADED", "PAUSED", "ERROR"];

/**
 * `count` users, each with `perUser` instances of `segments` status segments over the `days`
 * before `now` (some resized, some with no size data), the last segment open.
 */
export function syntheticAccounting(count: number, now: Date, { perUser = 1, segments = 5, days = 70, seed = 7, prefix = "acct" } = {}): AccountingFixtureUser[] {
  const rnd = lcg(seed);
  const dayMs = 86_400_000;
  const out: AccountingFixtureUser[] = [];
  for (let u = 0; u < count; u++) {
    const username = `${prefix}${String(u).padStart(6, "0")}`;
    const list: AccountingFixtureUser["instances"] = [];
    for (let k = 0; k < perUser; k++) {
      let t = now.getTime() - Math.floor(rnd() * days * dayMs) - 3_600_000;
      const segs: AccountingSegment[] = [];
      let flavor = FLAVORS[Math.floor(rnd() * FLAVORS.length)];
      const unsized = rnd() < 0.03;
      for (let s = 0; s < segments; s++) {
        if (s > 0 && rnd() < 0.15) flavor = FLAVORS[Math.floor(rnd() * FLAVORS.length)];
        const status = s === 0 ? "BUILD" : STATUSES[Math.floor(rnd() * STATUSES.length)];
        const open = s === segments - 1;
        const len = Math.floor(rnd() * 6 * dayMs) + 60_000;
        const end = open ? null : Math.min(t + len, now.getTime());
        segs.push({
          status,
          vcpus: unsized ? 0 : flavor.vcpus,
          ramMb: unsized ? 0 : flavor.ramMb,
          diskGb: unsized ? 0 : flavor.diskGb,
          flavorId: unsized ? null : flavor.flavorId,
          flavorName: unsized ? null : flavor.name,
          start: new Date(t),
          end: end === null ? null : new Date(end),
        });
        if (end !== null) t = end;
      }
      list.push({ serverId: `${username}-vm${k}-${Math.floor(rnd() * 1e9).toString(16)}`, name: `${username}-vm${k}`, segments: segs });
    }
    out.push({ username, projectId: `proj-${username}`, instances: list });
  }
  return out;
}

/** Inserts the users, one identity (project) each, their instances and history, in batches. */
export async function insertAccountingUsers(db: Db, providerId: number, people: AccountingFixtureUser[], batch = 1000): Promise<void> {
  for (let i = 0; i < people.length; i += batch) {
    const chunk = people.slice(i, i + batch);
    const userRows = await db.insert(users).values(chunk.map((p) => ({ username: p.username }))).returning({ id: users.id });
    const identityRows = await db
      .insert(identities)
      .values(
        chunk.map((p, k) => ({
          userId: userRows[k].id,
          providerId,
          projectName: `${p.username}-project`,
          projectId: p.projectId,
          openstackUserId: `os-${p.username}`,
          state: "active" as const,
        })),
      )
      .returning({ id: identities.id });
    const values: Array<typeof instances.$inferInsert> = [];
    const owners: AccountingSegment[][] = [];
    chunk.forEach((p, k) =>
      p.instances.forEach((vm) => {
        const last = vm.segments.at(-1);
        values.push({
          providerId,
          identityId: identityRows[k].id,
          serverId: vm.serverId,
          name: vm.name,
          projectId: p.projectId,
          status: last?.status ?? "ACTIVE",
          flavorId: last?.flavorId ?? null,
          flavorName: last?.flavorName ?? null,
          imageId: "image-1",
          addresses: vm.addresses ?? { fixed: ["10.0.0.5"], floating: ["192.0.2.10"], networks: {} },
          endDate: vm.endDate ?? null,
        });
        owners.push(vm.segments);
      }),
    );
    if (!values.length) continue;
    const rows = await db.insert(instances).values(values).returning({ id: instances.id });
    const history = rows.flatMap((row, n) =>
      owners[n].map((s) => ({
        instanceId: row.id,
        status: s.status,
        vcpus: s.vcpus,
        ramMb: s.ramMb,
        diskGb: s.diskGb,
        flavorId: s.flavorId ?? null,
        flavorName: s.flavorName ?? null,
        startDate: s.start,
        endDate: s.end,
      })),
    );
    for (let h = 0; h < history.length; h += 5000) await db.insert(instanceStatusHistory).values(history.slice(h, h + 5000));
  }
}
