import type { z } from "zod";

/**
 * How a form's fields are named to a person, by the key the form posts. Keys not listed are
 * spelled out from camelCase ("usernamesText" → "usernames text"); a key never reaches a message.
 */
const FIELD_LABELS: Record<string, string> = {
  authUrl: "auth URL",
  adminUrl: "admin URL",
  caBundle: "CA bundle",
  projectId: "project ID",
  projectName: "project",
  applicationCredentialId: "application credential ID",
  applicationCredentialSecret: "application credential secret",
  accountSecret: "account secret",
  adminRoleName: "admin role",
  userRoleName: "user role",
  dnsNameservers: "DNS name servers",
  securityRules: "security rules",
  publicRouters: "public routers",
  externalNetwork: "external network",
  hostnameFormat: "hostname format",
  instanceDomain: "instance domain",
  isPublic: "public",
  draftId: "wizard link",
  providerId: "provider",
  usernamesText: "usernames",
};

/** The label of a field key (the last segment of a path; array indexes become "item N"). */
export function fieldLabel(path: ReadonlyArray<PropertyKey>, labels: Record<string, string> = {}): string {
  const named = [...path].reverse().find((p) => typeof p === "string") as string | undefined;
  const index = path.find((p) => typeof p === "number") as number | undefined;
  const base = !named ? "form" : (labels[named] ?? FIELD_LABELS[named] ?? named.replace(/([a-z\d])([A-Z])/g, "$1 $2").replace(/[_.]+/g, " ").toLowerCase());
  return index === undefined ? base : `${base}, item ${index + 1}`;
}

/** "The account secret must…" → "the account secret must…"; leaves names ("Keystone…", "DNS…") alone. */
function lowerFirst(text: string): string {
  return /^(The|A|An|Enter|Use|Choose|Pick|Name|This|That|One|Check|Invalid|Too|Expected|Only|At)\b/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

/**
 * The one-line message of a refused form, written for a person: "Check the form: the account
 * secret must be at least 32 characters." A message that does not name its field gets the
 * field's label ("Check the form: name — use letters…"); more fields with problems are counted.
 */
export function invalidInputMessage(issues: ReadonlyArray<z.core.$ZodIssue>, labels?: Record<string, string>): string {
  const first = issues[0];
  if (!first) return "Check the form.";
  const label = fieldLabel(first.path, labels);
  const text = first.message.trim().replace(/\.?$/, ".");
  const names = first.path.length === 0 || text.toLowerCase().includes(label.split(",")[0].toLowerCase());
  const fields = new Set(issues.map((i) => i.path.join("."))).size;
  const more = fields > 1 ? ` (${fields - 1} more field${fields === 2 ? "" : "s"} to fix below.)` : "";
  return `Check the form: ${names ? lowerFirst(text) : `${label} — ${lowerFirst(text)}`}${more}`;
}
