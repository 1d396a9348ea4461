// An in-memory stand-in for the parts of OpenStackClient the quota code uses (Nova, Cinder and
// Neutron quota sets, a project update), for db tests: limits and usage per project, every
// write recorded. Nova refuses a limit below usage unless forced, as the real one does.
import { QUOTA_KEYS, type QuotaKey, type QuotaService, type QuotaValues } from "@/lib/domain/quotas";
import type { OpenStackClient } from "@/lib/openstack/client";

type Limits = Partial<Record<QuotaKey, number>>;

export type FakeQuotaCloud = {
  client: OpenStackClient;
  limits: Map<string, Limits>;
  usage: Map<string, Limits>;
  writes: Array<{ service: QuotaService; projectId: string; body: Record<string, unknown> }>;
  /** Calls per service (reads and writes). */
  calls: Record<QuotaService, number>;
  enabled: Map<string, boolean>;
};

const CATALOG: Record<string, QuotaService> = { compute: "compute", "block-storage": "volume", network: "network" };

export function fakeQuotaCloud(opts: { services?: QuotaService[]; projects?: Record<string, { limits?: Partial<QuotaValues>; usage?: Partial<QuotaValues> }> } = {}): FakeQuotaCloud {
  const services = new Set(opts.services ?? ["compute", "volume", "network"]);
  const limits = new Map<string, Limits>();
  const usage = new Map<string, Limits>();
  for (const [p, v] of Object.entries(opts.projects ?? {})) {
    limits.set(p, { ...Object.fromEntries(QUOTA_KEYS.map((k) => [k, 10])), ...v.limits });
    usage.set(p, { ...v.usage });
  }
  const writes: FakeQuotaCloud["writes"] = [];
  const calls: FakeQuotaCloud["calls"] = { compute: 0, volume: 0, network: 0 };
  const enabled = new Map<string, boolean>();
  const lim = (p: string) => {
    if (!limits.has(p)) limits.set(p, Object.fromEntries(QUOTA_KEYS.map((k) => [k, 10])));
    return limits.get(p)!;
  };
  const use = (p: string, k: QuotaKey) => usage.get(p)?.[k] ?? 0;
  const detail = (p: string, k: QuotaKey) => ({ limit: lim(p)[k] ?? -1, inUse: use(p, k), reserved: 0 });
  const touch = (s: QuotaService) => {
    if (!services.has(s)) throw new Error(`the fake cloud has no ${s} service`);
    calls[s]++;
  };
  const set = (s: QuotaService, p: string, pairs: Record<string, number | undefined>, body: Record<string, unknown>) => {
    writes.push({ service: s, projectId: p, body });
    for (const [k, v] of Object.entries(pairs)) if (v !== undefined) lim(p)[k as QuotaKey] = v;
  };
  const client = {
    hasService: (type: string) => services.has(CATALOG[type]),
    identity: { projects: { update: async (id: string, body: { enabled?: boolean }) => void enabled.set(id, body.enabled ?? true) } },
    compute: {
      quotaSets: {
        get: async (p: string) => (touch("compute"), { instances: lim(p).instances, cores: lim(p).cores, ramMb: lim(p).ram }),
        getDetail: async (p: string) => (touch("compute"), { instances: detail(p, "instances"), cores: detail(p, "cores"), ramMb: detail(p, "ram") }),
        update: async (p: string, o: { instances?: number; cores?: number; ramMb?: number; force?: boolean }) => {
          touch("compute");
          for (const [k, v] of [["instances", o.instances], ["cores", o.cores], ["ram", o.ramMb]] as const) {
            if (v !== undefined && v !== -1 && !o.force && v < use(p, k)) throw new Error(`Quota limit ${v} for ${k} must be greater than or equal to already used and reserved ${use(p, k)}.`);
          }
          set("compute", p, { instances: o.instances, cores: o.cores, ram: o.ramMb }, o);
        },
      },
    },
    blockStorage: {
      quotaSets: {
        get: async (p: string) => (touch("volume"), { volumes: lim(p).volumes, gigabytes: lim(p).gigabytes, snapshots: lim(p).snapshots }),
        getUsage: async (p: string) => (touch("volume"), { volumes: detail(p, "volumes"), gigabytes: detail(p, "gigabytes"), snapshots: detail(p, "snapshots") }),
        update: async (p: string, o: { volumes?: number; gigabytes?: number; snapshots?: number }) => (touch("volume"), set("volume", p, o, o)),
      },
    },
    network: {
      quotas: {
        get: async (p: string) => {
          touch("network");
          const l = lim(p);
          return { floatingip: l.floatingip, network: l.network, subnet: l.subnet, port: l.port, router: l.router, securityGroup: l.security_group, securityGroupRule: l.security_group_rule };
        },
        getDetails: async (p: string) => {
          touch("network");
          const d = (k: QuotaKey) => detail(p, k);
          return { floatingip: d("floatingip"), network: d("network"), subnet: d("subnet"), port: d("port"), router: d("router"), securityGroup: d("security_group"), securityGroupRule: d("security_group_rule") };
        },
        update: async (p: string, o: Record<string, number | undefined>) => {
          touch("network");
          const { securityGroup, securityGroupRule, ...rest } = o;
          set("network", p, { ...rest, security_group: securityGroup, security_group_rule: securityGroupRule }, o);
        },
      },
    },
  };
  return { client: client as unknown as OpenStackClient, limits, usage, writes, calls, enabled };
}
