/**
 * The drift check on many accounts against the lab (or the OS_* cloud): creates N projects
 * (cptest-quotas-bench-…) recorded as Cloudport accounts on the default tier, runs the check,
 * and prints the calls it made, its time, and the ratio to the time of the same raw API calls
 * (the bulk listings plus every project's quota reads, at the same concurrency, nothing else).
 * Everything it creates is removed at the end.
 *
 *   npm run bench:drift                      # 1,000 accounts
 *   npm run bench:drift -- --count 50 --concurrency 8
 *
 * Uses an in-memory PGlite database and imports lib/openstack/client directly (tsx).
 */
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 5).toString("base64");

import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";

import { ensurePortalUsers } from "../lib/accounts/queries";
import { insertLabProvider } from "../lib/accounts/testing/lab-provider";
import { openMemoryDb } from "../lib/accounts/testing/memory-db";
import { identities } from "../lib/db/schema";
import { driftAccounts, mapLimit, runDriftCheck } from "../lib/drift/check";
import { createClient } from "../lib/openstack/client";
import { labOptions } from "../lib/openstack/testing/env";
import { quotaServicesOf, readProjectLimits } from "../lib/quotas/cloud";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
}

async function main() {
  const count = arg("count", 1000);
  const concurrency = arg("concurrency", 8);
  process.env.CLOUDPORT_DRIFT_CONCURRENCY = String(concurrency);
  const tag = `cptest-quotas-bench-${randomBytes(2).toString("hex")}`;
  const os = await createClient(labOptions({ timeoutMs: 60_000 }));
  const { db, close } = await openMemoryDb();
  const created: string[] = [];
  try {
    const { provider } = await insertLabProvider(db, { name: tag });
    const t0 = performance.now();
    const names = Array.from({ length: count }, (_, i) => `${tag}-${String(i).padStart(4, "0")}`);
    const projects = await mapLimit(names, concurrency, async (name) => {
      const p = await os.identity.projects.create({ name, description: "cptest-quotas bench" });
      created.push(p.id);
      return p;
    });
    const { users } = await ensurePortalUsers(db, names);
    const byName = new Map(projects.map((p) => [p.name, p.id]));
    for (let i = 0; i < users.length; i += 500) {
      await db.insert(identities).values(
        users.slice(i, i + 500).map((u) => ({ userId: u.id, providerId: provider.id, projectName: u.username, projectId: byName.get(u.username)!, state: "active" as const })),
      );
    }
    console.log(`setup: ${count} projects in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const r = await runDriftCheck(db, os, provider);

    // The same API calls, raw: listings, then every project's limits at the same concurrency.
    const accounts = await driftAccounts(db, provider.id);
    const { present } = quotaServicesOf(os);
    const t1 = performance.now();
    await Promise.all([
      os.identity.projects.list({}),
      os.identity.users.list({}),
      os.identity.roleAssignments.list({}),
      os.identity.roles.list(),
      os.network.networks.list(),
      os.network.subnets.list(),
      os.network.ports.list(),
      os.network.securityGroups.list({ name: "default" }),
    ]);
    await mapLimit(accounts, concurrency, (a) => readProjectLimits(os, a.projectId!, present));
    const rawMs = performance.now() - t1;

    console.log(`accounts:        ${r.accounts}`);
    console.log(`differences:     ${r.findings} (${r.open} open)`);
    console.log(`API calls:       ${r.calls} (${r.calls - accounts.length * present.length} listings + ${accounts.length} × ${present.length} quota reads)`);
    console.log(`drift check:     ${(r.ms / 1000).toFixed(2)} s`);
    console.log(`raw calls:       ${(rawMs / 1000).toFixed(2)} s`);
    console.log(`ratio:           ${(r.ms / rawMs).toFixed(2)}× the raw calls`);
  } finally {
    await mapLimit(created, concurrency, (id) => os.identity.projects.delete(id).catch(() => undefined));
    await os.close();
    await close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
