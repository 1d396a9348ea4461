import { readFileSync } from "node:fs";

import type { ClientOptions } from "./client";
import type { AuthOptions } from "./core/auth";
import type { EndpointInterface } from "./core/catalog";
import { OpenStackConfigError } from "./core/errors";

type Env = Record<string, string | undefined>;

/** Builds client options from the standard OS_* variables of an openrc (OS_CACERT is read from disk). */
export function optionsFromEnv(env: Env): ClientOptions {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const authUrl = get("OS_AUTH_URL");
  if (!authUrl) throw new OpenStackConfigError("OS_AUTH_URL is not set");

  const caPath = get("OS_CACERT");
  let caBundle: string | undefined;
  if (caPath) {
    try {
      caBundle = readFileSync(caPath, "utf8");
    } catch (err) {
      throw new OpenStackConfigError(`OS_CACERT points to ${caPath}, which cannot be read: ${(err as Error).message}`);
    }
  }

  const iface = get("OS_INTERFACE")?.replace(/URL$/, "");
  if (iface && !["public", "internal", "admin"].includes(iface)) {
    throw new OpenStackConfigError(`OS_INTERFACE must be public, internal or admin, got "${iface}"`);
  }

  return {
    authUrl,
    auth: authFromEnv(get),
    region: get("OS_REGION_NAME"),
    interface: iface as EndpointInterface | undefined,
    caBundle,
  };
}

function authFromEnv(get: (name: string) => string | undefined): AuthOptions {
  const type = (get("OS_AUTH_TYPE") ?? "").toLowerCase().replace(/[-_]/g, "");
  const user = {
    username: get("OS_USERNAME"),
    userId: get("OS_USER_ID"),
    userDomainName: get("OS_USER_DOMAIN_NAME"),
    userDomainId: get("OS_USER_DOMAIN_ID"),
  };
  const appCred = type === "v3applicationcredential" || type === "applicationcredential";
  if (appCred || (!type && get("OS_APPLICATION_CREDENTIAL_SECRET"))) {
    const secret = get("OS_APPLICATION_CREDENTIAL_SECRET");
    if (!secret) throw new OpenStackConfigError("OS_APPLICATION_CREDENTIAL_SECRET is not set");
    return {
      type: "applicationCredential",
      id: get("OS_APPLICATION_CREDENTIAL_ID"),
      name: get("OS_APPLICATION_CREDENTIAL_NAME"),
      secret,
      ...user,
    };
  }
  if (type && type !== "password" && type !== "v3password") {
    throw new OpenStackConfigError(
      `OS_AUTH_TYPE "${get("OS_AUTH_TYPE")}" is not supported (use password or v3applicationcredential)`,
    );
  }
  const password = get("OS_PASSWORD");
  const missing = [
    !password && "OS_PASSWORD",
    !user.username && !user.userId && "OS_USERNAME",
    !get("OS_PROJECT_NAME") && !get("OS_TENANT_NAME") && !get("OS_PROJECT_ID") && "OS_PROJECT_NAME or OS_PROJECT_ID",
  ].filter(Boolean);
  if (missing.length) throw new OpenStackConfigError(`Missing ${missing.join(", ")}`);
  return {
    type: "password",
    password: password as string,
    ...user,
    projectName: get("OS_PROJECT_NAME") ?? get("OS_TENANT_NAME"),
    projectId: get("OS_PROJECT_ID"),
    projectDomainName: get("OS_PROJECT_DOMAIN_NAME"),
    projectDomainId: get("OS_PROJECT_DOMAIN_ID"),
  };
}
