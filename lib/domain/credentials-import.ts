import { parse as parseYaml } from "yaml";
import { KEYSTONE_V2_GONE, urlProblem, v3UrlFor } from "./endpoint-url";

/**
 * What the wizard's first step knows about a cloud after reading a file. Every field is
 * optional: the person completes or corrects it in the form.
 */
export type ProviderDraft = {
  name?: string;
  platform?: "KVM" | "Xen";
  isPublic?: boolean;
  authUrl?: string;
  adminUrl?: string;
  region?: string;
  interface?: string;
  authMethod: "password" | "application_credential";
  username?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  userDomainName?: string;
  projectDomainName?: string;
  /** OS_USER_DOMAIN_ID / OS_PROJECT_DOMAIN_ID (clouds.yaml user_domain_id / project_domain_id): sent as ids. */
  userDomainId?: string;
  projectDomainId?: string;
  applicationCredentialId?: string;
  applicationCredentialSecret?: string;
  /** A CA file path from the source; the file itself must be uploaded. */
  caCertPath?: string;
  /** The PEM CA bundle itself, when the source carries it (Cloudport's JSON export does). */
  caBundle?: string;
  networkName?: string;
  publicRouters?: string[];
  cloudConfig?: Record<string, unknown>;
  /** The source reads the password from a prompt; the wizard must ask for it. */
  needsPassword: boolean;
  warnings: string[];
};

/** Text as read from a file, without the UTF-8 byte-order mark some editors (and Windows) put first. */
export function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, "");
}

/** The 1-based line of the first occurrence of `value` in `text`, for messages that name the line. */
function lineOf(text: string, value: string): number | null {
  const at = text.indexOf(value);
  return at === -1 ? null : text.slice(0, at).split(/\r\n|\r|\n/).length;
}

/** Refuses a draft whose URLs cannot work, naming the line; proposes the v3 URL for a v2.0 one. */
function checkDraftUrls(draft: ProviderDraft, text: string, names: { authUrl: string; adminUrl: string }): ProviderDraft {
  for (const key of ["authUrl", "adminUrl"] as const) {
    const url = draft[key];
    if (!url) continue;
    const line = lineOf(text, url);
    const problem = urlProblem(url, `${line ? `Line ${line}: ` : ""}${names[key]} (${url})`);
    if (problem) throw new Error(problem);
  }
  const v3 = draft.authUrl ? v3UrlFor(draft.authUrl) : null;
  if (v3) {
    const line = lineOf(text, draft.authUrl!);
    draft.warnings.unshift(`${line ? `Line ${line}: ` : ""}${KEYSTONE_V2_GONE}. The auth URL is set to ${v3}: check it.`);
    draft.authUrl = v3;
  }
  return draft;
}

// ---------------------------------------------------------------------------
// openrc
// ---------------------------------------------------------------------------

/** Splits one shell word list, honouring quotes and expanding $VAR / ${VAR} outside single quotes. */
function shellWords(line: string, vars: Map<string, string>): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let i = 0;
  const expand = () => {
    const m = /^\$(?:\{(\w+)\}|(\w+))/.exec(line.slice(i));
    if (!m) {
      cur += "$";
      i++;
      return;
    }
    cur += vars.get(m[1] ?? m[2]) ?? "";
    i += m[0].length;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end === -1 ? undefined : end);
      i = end === -1 ? line.length : end + 1;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length) {
          cur += line[i + 1];
          i += 2;
        } else if (line[i] === "$") expand();
        else cur += line[i++];
      }
      i++;
      inWord = true;
    } else if (c === "$") {
      expand();
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[i + 1];
      i += 2;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      i++;
    } else if (c === "#" && !inWord) {
      break;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Splits `a; b; c` outside quotes. */
function splitCommands(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = null;
      cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur += c;
    } else if (c === ";") {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** A command glued to the end of the one before it, as when an openrc's line breaks were lost: `…/v3export OS_…`, `"Default"if [`. */
const LOST_LINE_BREAK = /[^\s;&|(]export\s+[A-Za-z_]\w*=|[^\s;&|(]unset\s+[A-Za-z_]\w*|["'](?:if|then|fi|export|unset|echo|read)\s/;

/**
 * Reads the OS_* variables an openrc file sets. Understands export/assignment lines, quotes,
 * `unset`, one-line `if [ -z "$X" ]; then …; fi` guards and the `read -sr OS_PASSWORD_INPUT`
 * prompt, without running anything.
 */
export function parseOpenrcVariables(text: string): { vars: Map<string, string>; prompted: Set<string>; warnings: string[] } {
  const vars = new Map<string, string>();
  const prompted = new Set<string>();
  const warnings: string[] = [];

  text = withoutBom(text);
  const run = (command: string, lineNo: number) => {
    const words = shellWords(command, vars);
    if (words.length === 0) return;
    const [cmd, ...args] = words;
    if (cmd === "export" || /^\w+=/.test(cmd)) {
      for (const w of cmd === "export" ? args : words) {
        const eq = w.indexOf("=");
        if (eq > 0) vars.set(w.slice(0, eq), w.slice(eq + 1));
      }
      // `export OS_PASSWORD=$OS_PASSWORD_INPUT` copies a prompted value: the copy is prompted too.
      const raw = /^(?:export\s+)?(\w+)=["']?\$\{?(\w+)\}?["']?\s*$/.exec(command.trim());
      if (raw && prompted.has(raw[2])) prompted.add(raw[1]);
    } else if (cmd === "unset") {
      for (const a of args) vars.delete(a);
    } else if (cmd === "read") {
      const name = args.filter((a) => !a.startsWith("-")).pop();
      if (name) prompted.add(name);
    } else if (cmd === "echo" || cmd === "printf" || cmd === ":") {
      // Prompts and banners; nothing to read.
    } else {
      warnings.push(`Line ${lineNo} was ignored: ${command.slice(0, 80)}`);
    }
  };

  // Old Mac line ends (CR alone) are line breaks too.
  text.split(/\r\n|\r|\n/).forEach((rawLine, idx) => {
    const lineNo = idx + 1;
    const line = rawLine.trim();
    if (!line || line.startsWith("#")) return;
    const glued = LOST_LINE_BREAK.exec(line);
    if (glued) {
      const around = line.slice(Math.max(0, glued.index - 20), glued.index + 30);
      throw new Error(
        `This openrc is unreadable: its line breaks seem lost (line ${lineNo} runs on: "…${around}…"). Paste or upload the file as it was, one command per line.`,
      );
    }
    const guard = /^if\s+\[\s+(-[zn])\s+"?\$\{?(\w+)\}?"?\s+\]\s*;\s*then\s+(.+?)\s*;?\s*fi\s*$/.exec(line);
    if (guard) {
      const [, test, name, body] = guard;
      const empty = !vars.get(name);
      if ((test === "-z") === empty) for (const c of splitCommands(body)) run(c, lineNo);
      return;
    }
    if (/^(if|fi|then|else|elif|for|while|done|case|esac)\b/.test(line)) {
      warnings.push(`Line ${lineNo} was ignored (shell control flow is not evaluated): ${line.slice(0, 80)}`);
      return;
    }
    for (const c of splitCommands(line)) run(c, lineNo);
  });
  return { vars, prompted, warnings };
}

/** Turns an openrc file into a provider draft. */
export function parseOpenrc(text: string): ProviderDraft {
  const { vars, prompted, warnings } = parseOpenrcVariables(text);
  const get = (...names: string[]) => {
    for (const n of names) {
      const v = vars.get(n);
      if (v) return v;
    }
    return undefined;
  };
  if (![...vars.keys()].some((k) => k.startsWith("OS_"))) {
    throw new Error("This is unreadable as an openrc: it sets no OS_* variable (e.g. export OS_AUTH_URL=…). Paste the file from Horizon as it is.");
  }
  const authType = get("OS_AUTH_TYPE");
  const appCred = authType?.startsWith("v3applicationcredential") || Boolean(get("OS_APPLICATION_CREDENTIAL_ID"));
  if (!get("OS_AUTH_URL")) warnings.push("The file sets no OS_AUTH_URL.");
  const identityVersion = get("OS_IDENTITY_API_VERSION");
  if (identityVersion && !identityVersion.startsWith("3")) {
    warnings.push(`OS_IDENTITY_API_VERSION is ${identityVersion}; Cloudport speaks Keystone v3 only.`);
  }
  const projectIdVar = get("OS_PROJECT_ID") ? "OS_PROJECT_ID" : get("OS_TENANT_ID") ? "OS_TENANT_ID" : null;
  const projectNameVar = get("OS_PROJECT_NAME") ? "OS_PROJECT_NAME" : get("OS_TENANT_NAME") ? "OS_TENANT_NAME" : null;
  if (projectIdVar && projectNameVar) {
    warnings.push(
      `The file sets both ${projectIdVar} and ${projectNameVar}: the token is scoped to the project ID ${get(projectIdVar)} (the Project ID field); the name "${get(projectNameVar)}" is not sent.`,
    );
  }
  if ((projectIdVar ?? projectNameVar)?.startsWith("OS_TENANT_")) {
    warnings.push(`OS_TENANT_* is Keystone v2.0's naming: read as the project. ${KEYSTONE_V2_GONE}.`);
  }
  const passwordPrompted = prompted.has("OS_PASSWORD");
  const draft: ProviderDraft = {
    authUrl: get("OS_AUTH_URL"),
    region: get("OS_REGION_NAME"),
    interface: get("OS_INTERFACE", "OS_ENDPOINT_TYPE"),
    authMethod: appCred ? "application_credential" : "password",
    username: get("OS_USERNAME"),
    password: passwordPrompted ? undefined : get("OS_PASSWORD"),
    projectName: get("OS_PROJECT_NAME", "OS_TENANT_NAME"),
    projectId: get("OS_PROJECT_ID", "OS_TENANT_ID"),
    userDomainName: get("OS_USER_DOMAIN_NAME", "OS_DEFAULT_DOMAIN"),
    projectDomainName: get("OS_PROJECT_DOMAIN_NAME", "OS_DEFAULT_DOMAIN"),
    userDomainId: get("OS_USER_DOMAIN_ID"),
    projectDomainId: get("OS_PROJECT_DOMAIN_ID"),
    applicationCredentialId: get("OS_APPLICATION_CREDENTIAL_ID"),
    applicationCredentialSecret: get("OS_APPLICATION_CREDENTIAL_SECRET"),
    caCertPath: get("OS_CACERT"),
    needsPassword: !appCred && (passwordPrompted || !get("OS_PASSWORD")),
    warnings,
  };
  if (draft.caCertPath) {
    warnings.push(`The file trusts the CA in ${draft.caCertPath}: upload that PEM file as the CA bundle.`);
  }
  return checkDraftUrls(draft, text, { authUrl: "OS_AUTH_URL", adminUrl: "The admin URL" });
}

// ---------------------------------------------------------------------------
// clouds.yaml
// ---------------------------------------------------------------------------

type CloudsYaml = { clouds?: Record<string, Record<string, unknown>> };

function readCloudsYaml(text: string): Record<string, Record<string, unknown>> {
  let doc: CloudsYaml;
  try {
    doc = parseYaml(withoutBom(text)) as CloudsYaml;
  } catch (error) {
    throw new Error(`This clouds.yaml is unreadable (not valid YAML): ${(error as Error).message.split("\n")[0]}`);
  }
  if (!doc || typeof doc !== "object" || !doc.clouds || typeof doc.clouds !== "object" || Array.isArray(doc.clouds)) {
    throw new Error("A clouds.yaml needs a top-level `clouds:` map with at least one cloud.");
  }
  // Broken indentation still parses, as garbage: a cloud that is not a map, or an `auth` cloud.
  for (const [name, cloud] of Object.entries(doc.clouds)) {
    const auth = cloud && typeof cloud === "object" ? (cloud as Record<string, unknown>).auth : undefined;
    if (!auth || typeof auth !== "object" || Array.isArray(auth)) {
      throw new Error(`This clouds.yaml is unreadable: cloud "${name}" has no \`auth:\` map under it (check the indentation).`);
    }
  }
  return doc.clouds;
}

/** The cloud names in a clouds.yaml, for the "choose a cloud" select. */
export function listCloudsYaml(text: string): string[] {
  return Object.keys(readCloudsYaml(text));
}

/** Turns one cloud of a clouds.yaml into a provider draft. */
export function parseCloudsYaml(text: string, cloudName?: string): ProviderDraft {
  const clouds = readCloudsYaml(text);
  const names = Object.keys(clouds);
  const name = cloudName ?? (names.length === 1 ? names[0] : undefined);
  if (!name) throw new Error(`This file has ${names.length} clouds (${names.join(", ")}): choose one.`);
  const cloud = Object.hasOwn(clouds, name) ? clouds[name] : undefined;
  if (!cloud) throw new Error(`There is no cloud named "${name}" in this file (it has ${names.join(", ")}).`);
  const auth = (cloud.auth ?? {}) as Record<string, string | undefined>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  const authType = str(cloud.auth_type);
  const appCred = authType?.startsWith("v3applicationcredential") || Boolean(auth.application_credential_id);
  const warnings: string[] = [];
  const caCertPath = str(cloud.cacert);
  if (caCertPath) warnings.push(`The cloud trusts the CA in ${caCertPath}: upload that PEM file as the CA bundle.`);
  if (cloud.verify === false) warnings.push("The file turns TLS verification off; Cloudport always verifies (upload the CA bundle instead).");
  if (str(auth.project_id) && str(auth.project_name)) {
    warnings.push(`The cloud sets both project_id and project_name: the token is scoped to the project ID ${str(auth.project_id)} (the Project ID field); the name "${str(auth.project_name)}" is not sent.`);
  }
  const draft: ProviderDraft = {
    name,
    authUrl: str(auth.auth_url),
    region: str(cloud.region_name),
    interface: str(cloud.interface),
    authMethod: appCred ? "application_credential" : "password",
    username: str(auth.username),
    password: str(auth.password),
    projectName: str(auth.project_name),
    projectId: str(auth.project_id),
    userDomainName: str(auth.user_domain_name) ?? str(auth.domain_name),
    projectDomainName: str(auth.project_domain_name) ?? str(auth.domain_name),
    userDomainId: str(auth.user_domain_id) ?? str(auth.domain_id),
    projectDomainId: str(auth.project_domain_id) ?? str(auth.domain_id),
    applicationCredentialId: str(auth.application_credential_id),
    applicationCredentialSecret: str(auth.application_credential_secret),
    caCertPath,
    needsPassword: !appCred && !str(auth.password),
    warnings,
  };
  return checkDraftUrls(draft, text, { authUrl: "auth_url", adminUrl: "The admin URL" });
}

// ---------------------------------------------------------------------------
// add_new_provider.py JSON
// ---------------------------------------------------------------------------

/** Removes `#` comments outside strings, and trailing commas, as people write in the seed's example. */
export function stripJsonComments(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

/** Turns the add_new_provider JSON (as in seed 000, or as Cloudport exports it) into a draft. */
export function parseProviderJson(text: string): ProviderDraft {
  let doc: Record<string, Record<string, unknown> | undefined>;
  try {
    doc = JSON.parse(stripJsonComments(withoutBom(text)));
  } catch (error) {
    throw new Error(`This is not valid JSON, even allowing # comments: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== "object") throw new Error("The JSON must be an object with admin, credential and cloud_config.");
  const admin = (doc.admin ?? {}) as Record<string, string | undefined>;
  const cred = (doc.credential ?? {}) as Record<string, string | undefined>;
  const provider = (doc.provider ?? {}) as Record<string, unknown>;
  const warnings: string[] = [];
  if (!doc.credential) warnings.push("The JSON has no `credential` block (auth_url, region_name, …).");
  const authVersion = cred.ex_force_auth_version;
  if (authVersion && !authVersion.startsWith("3")) warnings.push(`ex_force_auth_version ${authVersion} is not Keystone v3.`);
  const appCred = Boolean(admin.application_credential_id);
  const platform = typeof provider.platform === "string" ? provider.platform : undefined;
  const routers = cred.public_routers;
  const user = ((doc.cloud_config as Record<string, unknown> | undefined)?.user ?? {}) as Record<string, unknown>;
  const draft: ProviderDraft = {
    name: typeof provider.name === "string" ? provider.name : undefined,
    platform: platform === "Xen" ? "Xen" : platform === "KVM" ? "KVM" : undefined,
    isPublic: typeof provider.public === "boolean" ? provider.public : undefined,
    authUrl: cred.auth_url,
    adminUrl: cred.admin_url,
    region: cred.region_name,
    authMethod: appCred ? "application_credential" : "password",
    username: admin.username,
    password: admin.password,
    projectName: admin.tenant ?? admin.project_name,
    projectId: admin.project_id,
    userDomainId: admin.user_domain_id,
    projectDomainId: admin.project_domain_id,
    userDomainName: admin.user_domain_name ?? (typeof user.domain === "string" ? user.domain : undefined),
    projectDomainName: admin.project_domain_name ?? (typeof user.domain === "string" ? user.domain : undefined),
    applicationCredentialId: admin.application_credential_id,
    applicationCredentialSecret: admin.application_credential_secret,
    caBundle: cred.ca_bundle || undefined,
    networkName: cred.network_name,
    publicRouters: routers
      ? routers
          .split(",")
          .map((r) => r.trim())
          .filter(Boolean)
      : undefined,
    cloudConfig: doc.cloud_config as Record<string, unknown> | undefined,
    needsPassword: !appCred && !admin.password,
    warnings,
  };
  return checkDraftUrls(draft, text, { authUrl: "auth_url", adminUrl: "admin_url" });
}

/** The admin role an imported cloud_config names (add_new_provider's user.admin_role_name). */
export function adminRoleOf(cloudConfig: Record<string, unknown> | undefined): string | undefined {
  const role = (cloudConfig?.user as { admin_role_name?: unknown } | undefined)?.admin_role_name;
  return typeof role === "string" && role.trim() ? role.trim() : undefined;
}

/** Guesses which of the three formats a pasted text is. */
export function detectFormat(text: string): "openrc" | "clouds.yaml" | "json" {
  const t = withoutBom(text).trimStart();
  if (t.startsWith("{")) return "json";
  if (/^\s*clouds\s*:/m.test(text)) return "clouds.yaml";
  return "openrc";
}
