import { KEYSTONE_FEDERATION_ID, type FederationSetting } from "@/lib/domain/federation";
import { z } from "zod";
import { MIN_ACCOUNT_SECRET_LENGTH } from "@/lib/domain/account-secret-rules";
import { DNS_NAME_RULE, HOSTNAME_EXAMPLE } from "@/lib/domain/dns-name";
import { KEYSTONE_V2_GONE, urlProblem, v3UrlFor } from "@/lib/domain/endpoint-url";
import { hostnameDomainProblem, hostnameFormatProblem } from "@/lib/domain/hostname-format";
import { normalizeRule, type SecurityRule } from "@/lib/domain/security-rules";
import { securityRuleSchema } from "@/lib/domain/security-rules-schema";

import { TOPOLOGIES, type Topology } from "./constants";
export { TOPOLOGIES, WIZARD_STEPS, type Topology, type WizardStep } from "./constants";

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().trim().max(500).optional());

/**
 * A JSON form field, parsed; text that is not JSON stays a string, so the schema after it
 * refuses it with a field error (a throw here would escape the action's safeParse).
 */
export function parseJsonField(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}.`)
    .superRefine((v, ctx) => {
      // Scheme and port first, so the message says which is wrong (not just "not a URL").
      const problem = urlProblem(v, `The ${what}`);
      if (problem) return void ctx.addIssue({ code: "custom", message: problem });
      try {
        const u = new URL(v);
        if (u.hostname) return;
      } catch {
        // falls through to the message below
      }
      ctx.addIssue({ code: "custom", message: `The ${what} must be an http:// or https:// URL, e.g. https://cloud.example.org:5000/v3.` });
    });

const pem = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .refine((v) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(v), {
      message: "The CA bundle must be PEM: one or more -----BEGIN CERTIFICATE----- blocks.",
    })
    .optional(),
);

/** Step 1: how to reach and authenticate to the cloud (secrets travel separately). */
export const connectSchema = z
  .object({
    authUrl: httpUrl("auth URL"),
    adminUrl: z.preprocess(blankToUndefined, httpUrl("admin URL").optional()),
    region: z.string().trim().min(1, "Enter the region, e.g. RegionOne."),
    authMethod: z.enum(["password", "application_credential"]),
    username: optionalText,
    projectName: optionalText,
    projectId: optionalText,
    userDomainName: z.preprocess(blankToUndefined, z.string().trim().default("Default")),
    projectDomainName: z.preprocess(blankToUndefined, z.string().trim().default("Default")),
    /** OS_USER_DOMAIN_ID / OS_PROJECT_DOMAIN_ID: sent as ids, and win over the names. */
    userDomainId: optionalText,
    projectDomainId: optionalText,
    applicationCredentialId: optionalText,
    caBundle: pem,
    /** The role Verify checks the account holds (typed, or pre-filled from admin_role_name); when blank, the imported file's admin_role_name, else "admin". */
    adminRoleName: z.preprocess(blankToUndefined, z.string().trim().max(255).optional()),
  })
  .superRefine((v, ctx) => {
    const v3 = v3UrlFor(v.authUrl);
    if (v3) ctx.addIssue({ code: "custom", path: ["authUrl"], message: `${KEYSTONE_V2_GONE}: try ${v3}.` });
    if (v.authMethod === "password") {
      if (!v.username) ctx.addIssue({ code: "custom", path: ["username"], message: "Enter the admin username." });
      if (!v.projectName && !v.projectId) {
        ctx.addIssue({ code: "custom", path: ["projectName"], message: "Enter the project (tenant) to scope the token to." });
      }
    } else if (!v.applicationCredentialId) {
      ctx.addIssue({ code: "custom", path: ["applicationCredentialId"], message: "Enter the application credential id." });
    }
  });
export type ConnectData = z.output<typeof connectSchema>;

const dnsList = z.preprocess(
  (v) =>
    (Array.isArray(v) ? v : String(v ?? "").split(/[\s,]+/))
      .map((s) => String(s).trim())
      .filter(Boolean),
  z
    .array(z.string().regex(IPV4, "DNS name servers must be IPv4 addresses, e.g. 8.8.8.8."))
    .min(1, "Enter at least one DNS name server.")
    .max(6, "Use at most 6 DNS name servers."),
);

/** Step 3: how user networks are wired. */
export const networkSchema = z
  .object({
    topology: z.enum(TOPOLOGIES, { message: "Choose a topology." }),
    publicRouters: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.string().min(1)),
    ),
    externalNetwork: optionalText,
    dnsNameservers: dnsList,
    securityRules: z.preprocess(
      parseJsonField,
      z.array(z.preprocess(normalizeRule, securityRuleSchema)),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.topology === "External Router Topology" && v.publicRouters.length === 0) {
      ctx.addIssue({ code: "custom", path: ["publicRouters"], message: "Pick at least one public router for user networks." });
    }
    if (!v.externalNetwork) {
      ctx.addIssue({
        code: "custom",
        path: ["externalNetwork"],
        message: "Pick the external network that floating IPs (and, for External Network Topology, routers) use.",
      });
    }
  });
export type NetworkData = z.output<typeof networkSchema>;

/** Step 4: how accounts are made. */
export const accountsSchema = z.object({
  adminRoleName: z.string().trim().min(1, "Choose the admin role."),
  userRoleName: z.string().trim().min(1, "Choose the role users get on their project."),
  domain: z.string().trim().min(1, "Choose the domain user projects live in."),
  // Keystone federation: users sign in through this identity provider and protocol (both or neither).
  federationIdp: z.preprocess(
    blankToUndefined,
    z.string().trim().regex(KEYSTONE_FEDERATION_ID, "The identity provider id is 1–64 letters, digits, \".\", \"_\" or \"-\".").optional(),
  ),
  federationProtocol: z.preprocess(
    blankToUndefined,
    z.string().trim().regex(KEYSTONE_FEDERATION_ID, "The protocol id is 1–64 letters, digits, \".\", \"_\" or \"-\".").optional(),
  ),
  // Blank keeps a secret already stored in the draft.
  accountSecret: z.preprocess(
    blankToUndefined,
    z
      .string()
      .min(MIN_ACCOUNT_SECRET_LENGTH, `The account secret must be at least ${MIN_ACCOUNT_SECRET_LENGTH} characters.`)
      .max(512)
      .optional(),
  ),
}).superRefine((v, ctx) => {
  if (Boolean(v.federationIdp) !== Boolean(v.federationProtocol)) {
    ctx.addIssue({
      code: "custom",
      path: [v.federationIdp ? "federationProtocol" : "federationIdp"],
      message: "Federation needs both the identity provider and the protocol (or neither).",
    });
  }
});
export type AccountsData = Omit<z.output<typeof accountsSchema>, "accountSecret">;

/** Step 5: names and hostnames. */
export const deploySchema = z.object({
  name: z
    .string()
    .trim()
    .min(2, "Name the provider (2–64 characters).")
    .max(64, "Name the provider (2–64 characters).")
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Use letters, digits, spaces, dots, dashes and underscores."),
  platform: z.enum(["KVM", "Xen"]),
  isPublic: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
  hostnameFormat: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = hostnameFormatProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem.startsWith(DNS_NAME_RULE) ? problem : `${problem} Example: ${HOSTNAME_EXAMPLE}` });
    }),
  instanceDomain: optionalText.superRefine((v, ctx) => {
    const problem = v === undefined ? null : hostnameDomainProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
}).superRefine((v, ctx) => {
  // Each field is fine on its own; the names they make together must be DNS names too.
  const problem = hostnameFormatProblem(v.hostnameFormat, v.instanceDomain ?? "");
  if (problem) ctx.addIssue({ code: "custom", path: ["hostnameFormat"], message: problem });
});
export type DeployData = z.output<typeof deploySchema>;

export type PreflightStatus = "pass" | "warn" | "fail";
export type PreflightCheck = {
  id: string;
  label: string;
  status: PreflightStatus;
  detail: string;
  remedy?: string;
  /** Values from the cloud that would fix a Connect field (the Verify step offers each as a link). */
  fix?: { field: "adminUrl" | "region"; values: string[] };
};
export type PreflightReport = {
  at: string;
  ok: boolean;
  checks: PreflightCheck[];
  catalog: Array<{ type: string; name: string; interface: string; region: string; url: string }>;
};

/** What an imported add_new_provider JSON said about the later steps, used to pre-fill them. */
export type ImportedSettings = {
  name?: string;
  platform?: "KVM" | "Xen";
  isPublic?: boolean;
  networkName?: string;
  publicRouters?: string[];
  cloudConfig?: Record<string, unknown>;
};

// Keys whose values are secrets, wherever they sit in an imported cloud_config.
const SECRET_KEY = /secret|passw(or)?d|token|credential/i;

/**
 * A copy of an imported cloud_config without secret-looking keys. The add_new_provider JSON
 * carries the account secret as cloud_config.user.secret; it travels to the draft's sealed
 * secrets (importedAccountSecret), and must not sit in the draft's plain data as well.
 */
export function withoutSecretKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEY.test(k))
        .map(([k, v]) => [k, withoutSecretKeys(v)]),
    );
  }
  return value;
}

export const importedSettingsSchema = z
  .object({
    name: z.string().optional(),
    platform: z.enum(["KVM", "Xen"]).optional(),
    isPublic: z.boolean().optional(),
    networkName: z.string().optional(),
    publicRouters: z.array(z.string()).optional(),
    cloudConfig: z
      .record(z.string(), z.unknown())
      .transform((v) => withoutSecretKeys(v) as Record<string, unknown>)
      .optional(),
  })
  .strip();

/** Everything the wizard collects; stored as the draft's data. Secrets are not here. */
export type DraftData = {
  imported?: ImportedSettings;
  connect?: ConnectData;
  preflight?: PreflightReport;
  network?: NetworkData;
  accounts?: AccountsData;
  deploy?: DeployData;
};

export type DraftSecrets = { password?: string; applicationCredentialSecret?: string; accountSecret?: string };

/** The cloud_config JSON of a provider, in add_new_provider's shape. */
export type CloudConfig = {
  network: {
    topology: Topology;
    dns_nameservers: string[];
    default_security_rules: Array<[string, number, number] | [string, number, number, string]>;
  };
  user: { admin_role_name: string; user_role_name: string; domain: string; federation?: FederationSetting };
  deploy: { hostname_format: string; domain?: string };
};

export function rulesToTuples(rules: SecurityRule[]): CloudConfig["network"]["default_security_rules"] {
  return rules.map((r) => (r.cidr ? [r.protocol, r.fromPort, r.toPort, r.cidr] : [r.protocol, r.fromPort, r.toPort]));
}

