/**
 * Provisions accounts on the lab (or the OS_* cloud) with Cloudport's account code and prints
 * the wall time, next to the same steps done one by one with the `openstack` CLI for a few
 * users scaled up, and the ratio. Everything it creates is removed at the end.
 *
 *   npm run bench:accounts                       # 100 accounts, CLI on 10, 4 at a time
 *   npm run bench:accounts -- --count 20 --cli 3 --concurrency 8
 *   npm run bench:accounts -- --skip-cli
 *
 * Uses an in-memory PGlite database (nothing to set up). Runs under
 * `tsx --conditions=react-server` (see package.json), so server-only modules such as
 * lib/providers/connection.ts load.
 */
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 5).toString("base64");

import { execFile } from "node:child_process";
import diagnostics from "node:diagnostics_channel";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";

import { isNull } from "drizzle-orm";
import { runProvisionBatch, runRemoveBatch } from "../lib/accounts/batch";
import { accountSettings } from "../lib/providers/connection";
import { provisionPhase, ruleBody, type ProvisionPhase } from "../lib/accounts/provision";
import { PROVISION_STEPS } from "../lib/accounts/steps";
import { ensurePortalUsers, getOrCreateIdentity } from "../lib/accounts/queries";
import { chooseSubnetCidr } from "../lib/accounts/subnet-choice";
import { insertLabProvider, LAB_PUBLIC_ROUTER } from "../lib/accounts/testing/lab-provider";
import { openMemoryDb } from "../lib/accounts/testing/memory-db";
import type { Db } from "../lib/db/client";
import { identities, type Provider } from "../lib/db/schema";
import { deriveAccountPassword } from "../lib/domain/account-password";
import { createClient, type OpenStackClient } from "../lib/openstack/client";
import { labEnv, labOptions } from "../lib/openstack/testing/env";

const run = promisify(execFile);

type Args = { count: number; cli: number; concurrency: number; skipCli: boolean };

function parseArgs(argv: string[]): Args {
  const args: Args = { count: 100, cli: 10, concurrency: 4, skipCli: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--count") args.count = Number(argv[++i]);
    else if (a === "--cli") args.cli = Number(argv[++i]);
    else if (a === "--concurrency") args.concurrency = Number(argv[++i]);
    else if (a === "--skip-cli") args.skipCli = true;
    else throw new Error(`unknown argument ${a} (use --count N, --cli N, --concurrency N, --skip-cli)`);
  }
  if (!(args.count > 0 && args.cli > 0 && args.concurrency > 0)) throw new Error("--count, --cli and --concurrency must be positive");
  return args;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Where the time goes: every phase's wall times, and the API calls made inside it by service. */
class PhaseStats {
  readonly times = new Map<ProvisionPhase, number[]>();
  readonly calls = new Map<ProvisionPhase, Map<string, number>>();
  readonly #services = new Map<string, string>();

  constructor(os: OpenStackClient) {
    const labels: Record<string, string> = { identity: "keystone", compute: "nova", network: "neutron", image: "glance", placement: "placement" };
    for (const e of os.catalog.entries()) this.#services.set(new URL(e.url).origin, labels[e.serviceType] ?? (e.serviceType.includes("volume") || e.serviceType === "block-storage" ? "cinder" : e.serviceType));
    diagnostics.subscribe("undici:request:create", (message) => {
      const phase = provisionPhase.getStore();
      if (!phase) return;
      const { request } = message as { request: { origin: string; method: string } };
      const service = this.#services.get(request.origin) ?? new URL(request.origin).port;
      const key = `${service} ${request.method}`;
      const map = this.calls.get(phase) ?? new Map<string, number>();
      map.set(key, (map.get(key) ?? 0) + 1);
      this.calls.set(phase, map);
    });
  }

  record = (phase: ProvisionPhase, ms: number) => {
    const list = this.times.get(phase) ?? [];
    list.push(ms);
    this.times.set(phase, list);
  };

  print(accounts: number) {
    const order: ProvisionPhase[] = ["prepare", "checks", ...PROVISION_STEPS.flatMap((s) => (s === "project" ? [s, "quota" as const] : [s]))];
    console.log("");
    console.log(`where the time goes (per account unless said; ${accounts} accounts):`);
    console.log(`  ${"phase".padEnd(15)} ${"mean".padStart(8)} ${"p95".padStart(8)} ${"total".padStart(9)}  calls per account`);
    for (const phase of order) {
      const list = (this.times.get(phase) ?? []).sort((a, b) => a - b);
      if (list.length === 0) continue;
      const total = list.reduce((a, b) => a + b, 0);
      const p95 = list[Math.min(list.length - 1, Math.ceil(list.length * 0.95) - 1)];
      const per = phase === "prepare" ? 1 : accounts;
      const calls = [...(this.calls.get(phase) ?? new Map()).entries()].map(([k, n]) => `${k} ${+(n / per).toFixed(1)}`).join(", ");
      console.log(`  ${phase.padEnd(15)} ${`${(total / list.length).toFixed(0)} ms`.padStart(8)} ${`${p95.toFixed(0)} ms`.padStart(8)} ${secs(total).padStart(9)}  ${calls || "none"}${phase === "prepare" ? " (once per run)" : ""}`);
    }
    const all = [...this.calls.entries()].filter(([p]) => p !== "prepare").flatMap(([, m]) => [...m.values()]).reduce((a, b) => a + b, 0);
    console.log(`  API calls per account: ${(all / accounts).toFixed(1)}`);
  }
}

/** The admin project's Neutron port quota must hold one router interface per account. */
async function ensurePortQuota(os: OpenStackClient, env: NodeJS.ProcessEnv, needed: number) {
  const projectId = os.token.project!.id;
  const used = (await os.network.ports.list({ projectId })).length;
  const { stdout } = await run("openstack", ["quota", "show", projectId, "-f", "json"], { env });
  const quota = Number((JSON.parse(stdout) as Record<string, unknown>).ports ?? -1);
  if (quota !== -1 && used + needed + 20 > quota) {
    const want = used + needed + 100;
    await run("openstack", ["quota", "set", "--ports", String(want), projectId], { env });
    console.log(`raised the admin project's port quota ${quota} → ${want} (${used} used, ${needed} router interfaces to add)`);
  }
}

/** The same steps by hand, one `openstack` command at a time (no lookups: a fresh cloud). */
async function provisionWithCli(
  env: NodeJS.ProcessEnv,
  provider: Provider,
  accountSecret: string,
  names: string[],
  cidrs: string[],
  adminUserId: string,
): Promise<{ ms: number; commands: number }> {
  const settings = accountSettings(provider);
  let commands = 0;
  const os = async (...args: string[]) => {
    commands++;
    return (await run("openstack", args, { env, maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
  };
  const started = performance.now();
  for (const [i, name] of names.entries()) {
    const t = performance.now();
    const projectId = await os("project", "create", "--domain", "default", name, "-f", "value", "-c", "id");
    const userId = await os(
      "user", "create", "--domain", "default", "--password", deriveAccountPassword(name, accountSecret), "--project", projectId, name, "-f", "value", "-c", "id",
    );
    await os("role", "add", "--user", userId, "--project", projectId, settings.userRoleName);
    await os("role", "add", "--user", adminUserId, "--project", projectId, settings.adminRoleName);
    const group = (await os("security", "group", "list", "--project", projectId, "-f", "value", "-c", "ID", "-c", "Name"))
      .split("\n")
      .find((l) => l.endsWith(" default"))!
      .split(" ")[0];
    for (const rule of settings.securityRules) {
      const b = ruleBody(rule);
      const ports = b.portRangeMin === undefined ? [] : ["--dst-port", `${b.portRangeMin}:${b.portRangeMax ?? b.portRangeMin}`];
      await os("security", "group", "rule", "create", "--ingress", "--ethertype", "IPv4", "--protocol", b.protocol, ...ports, "--remote-ip", b.remoteIpPrefix, "--project", projectId, group, "-f", "value", "-c", "id");
    }
    const netId = await os("network", "create", "--project", projectId, `${name}-net`, "-f", "value", "-c", "id");
    const dns = settings.dnsNameservers.flatMap((d) => ["--dns-nameserver", d]);
    const subnetId = await os("subnet", "create", "--project", projectId, "--network", netId, "--subnet-range", cidrs[i], ...dns, `${name}-subnet`, "-f", "value", "-c", "id");
    await os("router", "add", "subnet", LAB_PUBLIC_ROUTER, subnetId);
    console.log(`  cli ${i + 1}/${names.length}: ${name} in ${secs(performance.now() - t)}`);
  }
  return { ms: performance.now() - started, commands };
}

async function removeAll(db: Db, os: OpenStackClient, provider: Provider, concurrency: number) {
  const live = await db.select({ id: identities.id }).from(identities).where(isNull(identities.endDate));
  if (live.length === 0) return { ms: 0, counts: null };
  const t = performance.now();
  const counts = await runRemoveBatch(db, os, provider, { identityIds: live.map((r) => r.id) }, { concurrency });
  return { ms: performance.now() - t, counts };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const cloudEnv = { ...process.env, ...labEnv() } as NodeJS.ProcessEnv;
  const os = await createClient(labOptions({ timeoutMs: 60_000 }));
  const { db, close } = await openMemoryDb();
  const tag = `cptest-bench${randomBytes(2).toString("hex")}`;
  const { provider, accountSecret } = await insertLabProvider(db, { name: tag });
  const ours = Array.from({ length: args.count }, (_, i) => `${tag}-${String(i + 1).padStart(3, "0")}`);
  const byCli = Array.from({ length: args.cli }, (_, i) => `${tag}-cli${String(i + 1).padStart(2, "0")}`);
  let exitCode = 0;
  try {
    await ensurePortQuota(os, cloudEnv, args.count + (args.skipCli ? 0 : args.cli));

    console.log(`cloudport: provisioning ${args.count} accounts on ${LAB_PUBLIC_ROUTER}, ${args.concurrency} at a time…`);
    let last = 0;
    const stats = new PhaseStats(os);
    const t0 = performance.now();
    const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: ours }, {
      concurrency: args.concurrency,
      reportEveryMs: 2000,
      timing: stats.record,
      report: async (c) => {
        if (c.done + c.failed - last >= 10 || c.done + c.failed === c.total) {
          last = c.done + c.failed;
          console.log(`  ${c.done + c.failed}/${c.total} after ${secs(performance.now() - t0)}`);
        }
      },
    });
    const oursMs = performance.now() - t0;
    if (counts.failed) {
      exitCode = 1;
      const errors = Object.entries(counts.users).filter(([, s]) => s.status === "failed").slice(0, 5);
      console.error(`${counts.failed} accounts failed, e.g.:\n${errors.map(([u, s]) => `  ${u} at ${s.step}: ${s.error}`).join("\n")}`);
    }

    let cli: { ms: number; commands: number } | null = null;
    if (!args.skipCli) {
      // CIDRs the CLI run may use: free ones, chosen the same way.
      const taken = new Set((await os.network.subnets.list({ ipVersion: 4 })).map((s) => s.cidr));
      const cidrs = byCli.map(() => {
        const c = chooseSubnetCidr(taken)!;
        taken.add(c);
        return c;
      });
      console.log(`openstack CLI: the same steps for ${args.cli} accounts, one command at a time…`);
      const { users } = await ensurePortalUsers(db, byCli);
      for (const u of users) await getOrCreateIdentity(db, u, provider.id); // so the clean-up below finds them
      cli = await provisionWithCli(cloudEnv, provider, accountSecret, byCli, cidrs, os.token.user.id);
    }

    stats.print(args.count);
    const perOurs = oursMs / args.count;
    console.log("");
    console.log(`cloudport      ${args.count} accounts: ${secs(oursMs)} wall (${(perOurs / 1000).toFixed(2)} s per account, concurrency ${args.concurrency}; ${counts.done} done, ${counts.failed} failed)`);
    if (cli) {
      const perCli = cli.ms / args.cli;
      const scaled = perCli * args.count;
      console.log(`openstack CLI  ${args.cli} accounts: ${secs(cli.ms)} wall (${(perCli / 1000).toFixed(2)} s per account, ${cli.commands / args.cli} commands each) → ${args.count} accounts ≈ ${secs(scaled)}`);
      console.log(`ratio          CLI / cloudport = ${(scaled / oursMs).toFixed(1)}×`);
    }
  } catch (error) {
    exitCode = 1;
    console.error(error);
  } finally {
    console.log("");
    console.log("cleaning up…");
    const removal = await removeAll(db, os, provider, args.concurrency).catch((e) => {
      console.error("clean-up failed:", e);
      exitCode = 1;
      return null;
    });
    if (removal?.counts) {
      console.log(`removed ${removal.counts.done} accounts in ${secs(removal.ms)}${removal.counts.failed ? `, ${removal.counts.failed} failed` : ""}`);
      if (removal.counts.failed) exitCode = 1;
    }
    await os.close();
    await close();
  }
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
