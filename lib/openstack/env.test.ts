import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { optionsFromEnv } from "./env";

const base = {
  OS_AUTH_URL: "https://keystone.example:5000/v3",
  OS_USERNAME: "admin",
  OS_PASSWORD: "pw",
  OS_PROJECT_NAME: "admin",
  OS_USER_DOMAIN_NAME: "Default",
  OS_PROJECT_DOMAIN_ID: "default",
  OS_REGION_NAME: "RegionOne",
  OS_INTERFACE: "public",
};

describe("optionsFromEnv", () => {
  it("reads a password openrc", () => {
    expect(optionsFromEnv(base)).toEqual({
      authUrl: "https://keystone.example:5000/v3",
      region: "RegionOne",
      interface: "public",
      caBundle: undefined,
      auth: {
        type: "password",
        username: "admin",
        userId: undefined,
        password: "pw",
        userDomainName: "Default",
        userDomainId: undefined,
        projectName: "admin",
        projectId: undefined,
        projectDomainName: undefined,
        projectDomainId: "default",
      },
    });
  });

  it("reads OS_CACERT from disk and accepts internalURL", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "osenv-"));
    const ca = path.join(dir, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const opts = optionsFromEnv({ ...base, OS_CACERT: ca, OS_INTERFACE: "internalURL" });
    expect(opts.caBundle).toContain("BEGIN CERTIFICATE");
    expect(opts.interface).toBe("internal");
    expect(() => optionsFromEnv({ ...base, OS_CACERT: path.join(dir, "missing.pem") })).toThrow(/OS_CACERT points to/);
  });

  it("reads application credentials, by type or by the secret's presence", () => {
    const env = { OS_AUTH_URL: base.OS_AUTH_URL, OS_APPLICATION_CREDENTIAL_ID: "ac1", OS_APPLICATION_CREDENTIAL_SECRET: "s" };
    expect(optionsFromEnv({ ...env, OS_AUTH_TYPE: "v3applicationcredential" }).auth).toMatchObject({
      type: "applicationCredential",
      id: "ac1",
      secret: "s",
    });
    expect(optionsFromEnv(env).auth.type).toBe("applicationCredential");
    expect(() =>
      optionsFromEnv({ OS_AUTH_URL: base.OS_AUTH_URL, OS_AUTH_TYPE: "v3applicationcredential", OS_APPLICATION_CREDENTIAL_ID: "x" }),
    ).toThrow("OS_APPLICATION_CREDENTIAL_SECRET is not set");
  });

  it("says what is missing", () => {
    expect(() => optionsFromEnv({})).toThrow("OS_AUTH_URL is not set");
    expect(() => optionsFromEnv({ OS_AUTH_URL: "http://k/v3", OS_USERNAME: "a" })).toThrow(
      "Missing OS_PASSWORD, OS_PROJECT_NAME or OS_PROJECT_ID",
    );
    expect(() => optionsFromEnv({ ...base, OS_AUTH_TYPE: "v3oidcpassword" })).toThrow(/not supported/);
    expect(() => optionsFromEnv({ ...base, OS_INTERFACE: "private" })).toThrow(/OS_INTERFACE/);
  });
});
