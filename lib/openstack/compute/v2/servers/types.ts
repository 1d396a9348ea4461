import { z } from "zod";

const faultSchema = z
  .looseObject({
    code: z.number().nullish(),
    message: z.string().default(""),
    details: z.string().nullish(),
    created: z.string().nullish(),
  })
  .transform((f) => ({
    code: f.code ?? null,
    message: f.message,
    /** Stack trace; Nova shows it to admins only. */
    details: f.details ?? null,
    created: f.created ? new Date(f.created) : null,
  }));

export type ServerFault = z.output<typeof faultSchema>;

// Microversion 2.47 embeds the flavor (without id); earlier ones only link to it.
const serverFlavorSchema = z
  .looseObject({
    id: z.string().nullish(),
    original_name: z.string().nullish(),
    vcpus: z.number().nullish(),
    ram: z.number().nullish(),
    disk: z.number().nullish(),
    ephemeral: z.number().nullish(),
    swap: z.number().nullish(),
    extra_specs: z.record(z.string(), z.string()).nullish(),
  })
  .transform((f) => ({
    id: f.id ?? null,
    name: f.original_name ?? null,
    vcpus: f.vcpus ?? null,
    ramMb: f.ram ?? null,
    diskGb: f.disk ?? null,
    ephemeralGb: f.ephemeral ?? null,
    swapMb: f.swap ?? null,
    extraSpecs: f.extra_specs ?? null,
  }));

const addressSchema = z.looseObject({
  addr: z.string(),
  version: z.number(),
  "OS-EXT-IPS:type": z.string().nullish(),
  "OS-EXT-IPS-MAC:mac_addr": z.string().nullish(),
});

const date = (v: string | null | undefined) => (v ? new Date(v) : null);

/**
 * A JSON object keyed by names from the cloud (Nova's addresses: network name → list), read as
 * [name, value] pairs. z.record drops a key named __proto__; a network may be called that.
 */
function namedEntries<T extends z.ZodType>(value: T) {
  return z.unknown().transform((v, ctx): Array<[string, z.output<T>]> => {
    if (v === undefined || v === null) return [];
    if (typeof v !== "object" || Array.isArray(v)) {
      ctx.addIssue({ code: "custom", message: "Expected an object keyed by network name." });
      return z.NEVER;
    }
    const out: Array<[string, z.output<T>]> = [];
    for (const [k, raw] of Object.entries(v)) {
      const r = value.safeParse(raw);
      if (!r.success) {
        for (const issue of r.error.issues) ctx.addIssue({ code: "custom", path: [k, ...issue.path], message: issue.message });
        continue;
      }
      out.push([k, r.data]);
    }
    return out;
  });
}

export const serverSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    tenant_id: z.string().nullish(),
    user_id: z.string().nullish(),
    created: z.string().nullish(),
    updated: z.string().nullish(),
    key_name: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).default({}),
    addresses: namedEntries(z.array(addressSchema)).optional(),
    // "" when booted from a volume.
    image: z.union([z.looseObject({ id: z.string() }), z.literal("")]).nullish(),
    flavor: serverFlavorSchema.nullish(),
    fault: faultSchema.nullish(),
    "OS-EXT-STS:task_state": z.string().nullish(),
    "OS-EXT-STS:vm_state": z.string().nullish(),
    "OS-EXT-STS:power_state": z.number().nullish(),
    "OS-EXT-SRV-ATTR:host": z.string().nullish(),
    "OS-EXT-SRV-ATTR:hypervisor_hostname": z.string().nullish(),
    "OS-EXT-AZ:availability_zone": z.string().nullish(),
    "OS-SRV-USG:launched_at": z.string().nullish(),
    "OS-SRV-USG:terminated_at": z.string().nullish(),
    security_groups: z.array(z.looseObject({ name: z.string() })).nullish(),
    "os-extended-volumes:volumes_attached": z.array(z.looseObject({ id: z.string() })).nullish(),
    locked: z.boolean().nullish(),
    description: z.string().nullish(),
  })
  .transform((s) => ({
    id: s.id,
    name: s.name,
    status: s.status,
    taskState: s["OS-EXT-STS:task_state"] ?? null,
    vmState: s["OS-EXT-STS:vm_state"] ?? null,
    powerState: s["OS-EXT-STS:power_state"] ?? null,
    projectId: s.tenant_id ?? null,
    userId: s.user_id ?? null,
    created: date(s.created),
    updated: date(s.updated),
    launchedAt: date(s["OS-SRV-USG:launched_at"]),
    terminatedAt: date(s["OS-SRV-USG:terminated_at"]),
    host: s["OS-EXT-SRV-ATTR:host"] ?? null,
    hypervisorHostname: s["OS-EXT-SRV-ATTR:hypervisor_hostname"] ?? null,
    availabilityZone: s["OS-EXT-AZ:availability_zone"] ?? null,
    keyName: s.key_name ?? null,
    imageId: s.image ? s.image.id : null,
    flavor: s.flavor ?? null,
    addresses: (s.addresses ?? []).flatMap(([network, list]) =>
      list.map((a) => ({
        network,
        addr: a.addr,
        version: a.version,
        type: a["OS-EXT-IPS:type"] ?? null,
        mac: a["OS-EXT-IPS-MAC:mac_addr"] ?? null,
      })),
    ),
    /** Why the server is in ERROR, when Nova knows. */
    fault: s.fault ?? null,
    metadata: s.metadata,
    securityGroups: (s.security_groups ?? []).map((g) => g.name),
    volumeIds: (s["os-extended-volumes:volumes_attached"] ?? []).map((v) => v.id),
    locked: s.locked ?? false,
    description: s.description ?? null,
    raw: s,
  }));

export type Server = z.output<typeof serverSchema>;

export interface ListServersOptions {
  /** Every project's servers (admin). */
  allTenants?: boolean;
  projectId?: string;
  status?: string;
  /** Nova treats this as a regular expression. */
  name?: string;
  host?: string;
  changesSince?: Date;
  limit?: number;
}

export type ServerNetworks =
  | Array<{ networkId: string; fixedIp?: string } | { portId: string }>
  | "auto"
  | "none";

export interface CreateServerOptions {
  name: string;
  flavorId: string;
  imageId: string;
  /** Required since microversion 2.37: a list, "auto" or "none". */
  networks: ServerNetworks;
  keyName?: string;
  securityGroups?: string[];
  /** Plain text; encoded to base64 here. */
  userData?: string;
  metadata?: Record<string, string>;
  availabilityZone?: string;
  description?: string;
}

export type RebootType = "SOFT" | "HARD";
