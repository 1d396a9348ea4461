import "server-only";
import { grantAdminRoleCommand, holdsAdminRole } from "./admin-role";
import net from "node:net";
import {
  createClient,
  discoverKeystone,
  inspectTls,
  OpenStackError,
  OpenStackHttpError,
  isStatus,
  type ClientOptions,
  type OpenStackClient,
} from "@/lib/openstack";
import type { PreflightCheck, PreflightReport } from "./schemas";
import { plural } from "@/lib/domain/format";

const REQUIRED_SERVICES = ["identity", "compute", "image", "network"] as const;
const OPTIONAL_SERVICES = [
  ["placement", "Capacity views and allocation candidates need Placement."],
  ["block-storage", "Volumes (the readiness run's volume checks) need Cinder."],
  ["object-store", "Object storage is not used by Cloudport itself; users may expect it."],
] as const;
const CERT_WARN_DAYS = 30;

export type PreflightInput = { options: ClientOptions; adminUrl?: string; adminRoleName?: string };

function errorText(error: unknown): string {
  if (error instanceof OpenStackHttpError) return error.serviceMessage ? `${error.service} said ${error.status}: ${error.serviceMessage}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the seed's prerequisites against a cloud: Keystone discovery, token, admin role,
 * catalog, every public endpoint's TLS and reachability, and the resources accounts need.
 * Failures block creating the provider; warnings do not.
 */
export async function runPreflight(input: PreflightInput, onCheck?: (c: PreflightCheck) => void): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  const add = (c: PreflightCheck) => {
    checks.push(c);
    onCheck?.(c);
  };
  const report = (catalog: PreflightReport["catalog"] = []): PreflightReport => ({
    at: new Date().toISOString(),
    ok: checks.every((c) => c.status !== "fail"),
    checks,
    catalog,
  });
  const { options } = input;
  const timeoutS = Math.round((options.timeoutMs ?? 10_000) / 1000);

  // 1. Keystone v3 at the auth URL.
  try {
    const found = await discoverKeystone(options.authUrl, { caBundle: options.caBundle, timeoutMs: options.timeoutMs, retry: { attempts: 1 } });
    add(
      found.selfLinkRefused
        ? {
            id: "discovery",
            label: "Keystone v3 discovered",
            status: "warn",
            detail: `Identity ${found.version ?? "v3"} at ${found.url}. ${found.selfLinkRefused}`,
            remedy: "Credentials are only sent to the auth URL you entered. Fix Keystone's public endpoint (public_endpoint in keystone.conf) or enter the URL it names, if you trust it.",
          }
        : { id: "discovery", label: "Keystone v3 discovered", status: "pass", detail: `Identity ${found.version ?? "v3"} at ${found.url}` },
    );
  } catch (error) {
    add({
      id: "discovery",
      label: "Keystone v3 discovered",
      status: "fail",
      detail: errorText(error),
      remedy: `Check the auth URL (usually https://<host>:5000/v3) and that it is reachable from the Cloudport server within ${timeoutS} s; for a private CA, add the CA bundle.`,
    });
    return report();
  }

  // 2. A project-scoped token.
  let client: OpenStackClient;
  try {
    client = await createClient({ ...options, retry: { attempts: 1 } });
    const t = client.token;
    add({
      id: "token",
      label: "Token issued",
      status: "pass",
      detail: `As ${t.user.name} on project ${t.project?.name ?? "(unscoped)"}, valid until ${t.expiresAt.toISOString()}`,
    });
  } catch (error) {
    const auth = isStatus(error, 401);
    const projectId = options.auth.type === "password" ? options.auth.projectId : undefined;
    add({
      id: "token",
      label: "Token issued",
      status: "fail",
      detail: errorText(error),
      remedy: auth
        ? projectId
          ? `Keystone refused these credentials: check the username, password and domains, and the Project ID field (${projectId}) — when it is set the token is scoped to that id and the project name is not sent; clear it to use the name.`
          : "Keystone refused these credentials: check the username, password (or application credential), project and domains."
        : "Check that the project exists and the user has a role on it.",
    });
    return report();
  }

  try {
    // 3. The admin role: accounts need project and user creation.
    const roleName = (input.adminRoleName ?? "admin").toLowerCase();
    const roles = client.token.roles.map((r) => r.name);
    const scope = client.token.project ? `project ${client.token.project.name}` : "its scope";
    add(
      holdsAdminRole(client, roleName)
        ? { id: "admin-role", label: "Admin role held", status: "pass", detail: `Roles on ${scope}: ${roles.join(", ")}` }
        : {
            id: "admin-role",
            label: "Admin role held",
            status: "fail",
            detail: `This account lacks the ${roleName} role on ${scope} (it has: ${roles.join(", ") || "none"}).`,
            remedy: `Grant it, as in the seed: ${grantAdminRoleCommand(client, roleName)} — or, if this cloud's admin role has another name, enter that name as the admin role on the Connect step.`,
          },
    );

    // The region must be one the catalog has; every endpoint below is looked up in it.
    const regions = client.catalog.regions();
    if (options.region && regions.length && !regions.includes(options.region)) {
      add({
        id: "region",
        label: "Region in the catalog",
        status: "fail",
        detail: `Region "${options.region}" is not in this cloud's catalog; its regions are: ${regions.join(", ")}.`,
        remedy: "Pick one of the catalog's regions on the Connect step.",
        fix: { field: "region", values: regions },
      });
      return report(catalogOf(client));
    }

    // 4. The catalog.
    const entries = client.catalog.entries();
    const catalog = catalogOf(client);
    const region = options.region;
    const regionNote = region ? ` in region ${region}` : "";
    for (const type of REQUIRED_SERVICES) {
      add(
        client.hasService(type)
          ? { id: `catalog-${type}`, label: `Catalog has ${type}`, status: "pass", detail: client.catalog.endpoint(type, { interface: "public", region }).url }
          : {
              id: `catalog-${type}`,
              label: `Catalog has ${type}`,
              status: "fail",
              detail: `No public ${type} endpoint${regionNote}. Regions in the catalog: ${client.catalog.regions().join(", ") || "none"}.`,
              remedy: "Check the region name, or register the endpoint (openstack endpoint create).",
            },
      );
    }
    for (const [type, why] of OPTIONAL_SERVICES) {
      add(
        client.hasService(type)
          ? { id: `catalog-${type}`, label: `Catalog has ${type}`, status: "pass", detail: client.catalog.endpoint(type, { interface: "public", region }).url }
          : { id: `catalog-${type}`, label: `Catalog has ${type}`, status: "warn", detail: `No public ${type} endpoint${regionNote}. ${why}` },
      );
    }

    // 5. The endpoint audit: every public endpoint of the region and the identity admin endpoint.
    const audited = entries.filter(
      (e) => (!region || e.region === region) && (e.interface === "public" || (e.interface === "admin" && e.serviceType === "identity")),
    );
    // The admin URL typed on Connect (or read from a file), when the catalog does not list it.
    const typedAdmin =
      input.adminUrl && !audited.some((e) => e.url === input.adminUrl)
        ? ({ serviceType: "identity", interface: "admin", url: input.adminUrl } as (typeof audited)[number])
        : null;
    if (typedAdmin) audited.push(typedAdmin);
    const inspections = await Promise.all(
      audited.map(async (e) => {
        const tls = await inspectTls(e.url, { ca: options.caBundle, timeoutMs: options.timeoutMs });
        // A TLS handshake proves the endpoint answers; plain HTTP, or a failed handshake, needs its own
        // probe: a closed port is a reachability problem, not a certificate one.
        const unreachable = tls.https && !tls.error ? null : await probeTcp(e.url, options.timeoutMs ?? 10_000);
        return { e, unreachable, tls: unreachable ? { ...tls, error: unreachable } : { ...tls, error: tls.https ? tls.error : null } };
      }),
    );
    for (const { e, tls, unreachable } of inspections) {
      const id = e === typedAdmin ? "admin-url" : `endpoint-${e.serviceType}-${e.interface}`;
      const label = e === typedAdmin ? "Admin URL" : `${e.serviceType} ${e.interface} endpoint`;
      if (e === typedAdmin && unreachable) {
        add(adminUrlUnreachable(e.url, unreachable, catalogAdminUrl(entries, region)));
        continue;
      }
      if (tls.error) {
        add({
          id,
          label,
          status: "fail",
          detail: `${e.url}: ${tls.error}`,
          remedy:
            tls.https && !unreachable
              ? "Install a certificate from a CA clients trust (e.g. Let's Encrypt) for this host name, or add the private CA as the provider's CA bundle."
              : `Make the endpoint reachable from the Cloudport server within ${timeoutS} s, or fix it in the catalog (openstack endpoint set).`,
        });
        continue;
      }
      const problems: string[] = [];
      const remedies: string[] = [];
      if (!tls.https) {
        problems.push("plain HTTP");
        remedies.push("serve it over HTTPS with a trusted certificate (seed: every public endpoint and the Keystone admin API)");
      }
      if (tls.hostnameIsIp) {
        problems.push("a bare IP, not a host name");
        remedies.push("register the endpoint under a DNS name (openstack endpoint set --url https://<fqdn>:<port>/…)");
      }
      if (tls.https && tls.daysToExpiry !== null && tls.daysToExpiry < CERT_WARN_DAYS) {
        problems.push(`its certificate expires in ${plural(tls.daysToExpiry, "day")}`);
        remedies.push("renew the certificate");
      }
      const certNote = tls.https && tls.validTo ? `; certificate trusted, ${plural(tls.daysToExpiry ?? 0, "day")} to expiry` : "";
      add({
        id,
        label,
        status: problems.length ? "warn" : "pass",
        detail: `${e.url}${problems.length ? `: ${problems.join(", ")}` : ""}${certNote}`,
        remedy: remedies.length ? `${remedies.join("; ")}.` : undefined,
      });
    }

    // 6. What accounts and launches need to exist.
    await prerequisiteChecks(client, add);
    return report(catalog);
  } finally {
    await client.close();
  }
}

/** The catalog as the report shows it. */
function catalogOf(client: OpenStackClient): PreflightReport["catalog"] {
  return client.catalog.entries().map((e) => ({
    type: e.serviceType,
    name: e.serviceName ?? "",
    interface: e.interface,
    region: e.region ?? "",
    url: e.url,
  }));
}

/** The catalog's identity admin endpoint (in the region when there is one), else its public one. */
function catalogAdminUrl(entries: ReturnType<OpenStackClient["catalog"]["entries"]>, region?: string): string | null {
  const identity = entries.filter((e) => e.serviceType === "identity" && (!region || !e.region || e.region === region));
  return (identity.find((e) => e.interface === "admin") ?? identity.find((e) => e.interface === "public"))?.url ?? null;
}

/** Port 35357 was Keystone's admin API until Queens; since then the admin API is the public endpoint. */
const LEGACY_ADMIN_PORT = 35357;

/**
 * The typed admin URL does not answer. For :35357 that is expected on a current Keystone, and
 * the report says so and offers the catalog's identity admin endpoint instead.
 */
export function adminUrlUnreachable(url: string, reason: string, catalogAdmin: string | null): PreflightCheck {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  const legacy =
    port === LEGACY_ADMIN_PORT
      ? ` Nothing listens on port ${LEGACY_ADMIN_PORT} on a current Keystone: since Queens the admin API is the public endpoint, and the separate admin port is gone.`
      : "";
  const offer = catalogAdmin && catalogAdmin !== url ? catalogAdmin : null;
  return {
    id: "admin-url",
    label: "Admin URL",
    status: "fail",
    detail: `${url}: ${reason}.${legacy}${offer ? ` The catalog's identity admin endpoint is ${offer}.` : ""}`,
    remedy: offer
      ? `Use the catalog's identity admin endpoint (${offer}) as the admin URL, or leave the admin URL blank.`
      : `Leave the admin URL blank (the catalog's endpoints are used), or enter one that is reachable from the Cloudport server.`,
    fix: offer ? { field: "adminUrl", values: [offer] } : undefined,
  };
}

/** Connects to the endpoint's host and port; returns why it failed, or null. */
function probeTcp(url: string, timeoutMs: number): Promise<string | null> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ""), port });
    const done = (result: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(`could not reach ${u.host} within ${timeoutMs / 1000} s`), timeoutMs);
    socket.once("connect", () => done(null));
    socket.once("error", (err: NodeJS.ErrnoException) => done(`could not reach ${u.host}: ${err.code ?? err.message}`));
  });
}

async function firstPageSize<T>(pages: AsyncGenerator<T[]>): Promise<number> {
  for await (const page of pages) return page.length;
  return 0;
}

async function prerequisiteChecks(client: OpenStackClient, add: (c: PreflightCheck) => void) {
  const guard = async (id: string, label: string, fn: () => Promise<PreflightCheck>) => {
    try {
      add(await fn());
    } catch (error) {
      add({ id, label, status: "fail", detail: errorText(error), remedy: error instanceof OpenStackError ? "Check the service is up and the account may list it." : undefined });
    }
  };
  await guard("images", "At least one image", async () => {
    const n = await firstPageSize(client.image.images.pages({ status: "active", limit: 1 }));
    return n > 0
      ? { id: "images", label: "At least one image", status: "pass", detail: "Glance has active images." }
      : { id: "images", label: "At least one image", status: "fail", detail: "Glance has no active image.", remedy: "Upload one: openstack image create --file <image> --disk-format qcow2 <name>" };
  });
  await guard("flavors", "At least one flavor", async () => {
    const n = (await client.compute.flavors.list({ visibility: "all" })).length;
    return n > 0
      ? { id: "flavors", label: "At least one flavor", status: "pass", detail: `${plural(n, "flavor")}.` }
      : { id: "flavors", label: "At least one flavor", status: "fail", detail: "Nova has no flavor.", remedy: "Create one: openstack flavor create --vcpus 1 --ram 512 --disk 1 m1.tiny" };
  });
  await guard("external-network", "External network with a subnet", async () => {
    const external = await client.network.networks.list({ routerExternal: true });
    const subnets = await client.network.subnets.list();
    const withSubnet = external.filter((n) => subnets.some((s) => s.networkId === n.id));
    if (withSubnet.length === 0) {
      return {
        id: "external-network",
        label: "External network with a subnet",
        status: "fail",
        detail: external.length ? `External networks without a subnet: ${external.map((n) => n.name).join(", ")}.` : "No network has router:external.",
        remedy: "Create one with floating IPs: openstack network create --external … public; openstack subnet create --network public --allocation-pool … public-subnet",
      };
    }
    return { id: "external-network", label: "External network with a subnet", status: "pass", detail: withSubnet.map((n) => n.name).join(", ") };
  });
  await guard("routers", "At least one router", async () => {
    const routers = await client.network.routers.list();
    const gw = routers.filter((r) => r.externalGateway);
    if (routers.length === 0) {
      return { id: "routers", label: "At least one router", status: "fail", detail: "Neutron has no router.", remedy: "Create one with a gateway on the external network: openstack router create public_router; openstack router set --external-gateway public public_router" };
    }
    return {
      id: "routers",
      label: "At least one router",
      status: gw.length ? "pass" : "warn",
      detail: gw.length ? `Routers with an external gateway: ${gw.map((r) => r.name).join(", ")}.` : `No router has an external gateway (${routers.map((r) => r.name).join(", ")}).`,
      remedy: gw.length ? undefined : "Set a gateway for External Router Topology: openstack router set --external-gateway <network> <router>",
    };
  });
}
