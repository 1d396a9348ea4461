import { describe, expect, it } from "vitest";

import { createClient, discoverKeystone } from "../client";
import { labOptions, testName } from "../testing/env";
import { useLabClient } from "../testing/lab-client";
import { OpenStackHttpError } from "./errors";

const lab = useLabClient();

describe("Keystone against the lab", () => {
  it("discovers v3 from the auth URL with or without /v3", async () => {
    const { authUrl } = labOptions();
    const root = authUrl.replace(/\/v3\/?$/, "");
    for (const url of [root, `${root}/`, `${root}/v3`, `${root}/v3/`]) {
      const found = await discoverKeystone(url);
      expect(found.url).toBe(`${root}/v3`);
      expect(found.version).toMatch(/^v3\.\d+$/);
    }
  });

  it("authenticates with a password and gets a project-scoped token with a catalog", () => {
    expect(lab.os.token.project?.id).toMatch(/\w+/);
    expect(lab.os.token.roles.map((r) => r.name)).toContain("admin");
    expect(lab.os.token.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const types = new Set(lab.os.catalog.entries().map((e) => e.serviceType));
    for (const t of ["identity", "compute", "image", "network", "placement"]) expect(types).toContain(t);
    for (const e of lab.os.catalog.entries()) expect(e.url).toMatch(/^https?:\/\//);
    expect(lab.os.hasService("compute")).toBe(true);
  });

  it("a wrong password is Keystone's 401", async () => {
    const opts = labOptions();
    if (opts.auth.type !== "password") return;
    const err = await createClient({ ...opts, auth: { ...opts.auth, password: "definitely-wrong" } }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenStackHttpError);
    expect((err as OpenStackHttpError).status).toBe(401);
    expect((err as Error).message).not.toContain("definitely-wrong");
  });

  it("creates an application credential, authenticates with it (by id and by name), deletes it", async () => {
    const name = testName("appcred");
    const cred = await lab.os.identity.applicationCredentials.create({ name, description: "cloudport integration test" });
    lab.undo.push(() => lab.os.identity.applicationCredentials.delete(cred.id));
    expect(cred.secret.length).toBeGreaterThan(20);
    expect((await lab.os.identity.applicationCredentials.list({ name })).map((c) => c.id)).toEqual([cred.id]);

    const { authUrl, region } = labOptions();
    const byId = await createClient({ authUrl, region, auth: { type: "applicationCredential", id: cred.id, secret: cred.secret } });
    const byName = await createClient({
      authUrl,
      region,
      auth: { type: "applicationCredential", name, secret: cred.secret, userId: lab.os.token.user.id },
    });
    try {
      for (const os of [byId, byName]) {
        expect(os.token.applicationCredentialId).toBe(cred.id);
        expect(os.token.project?.id).toBe(lab.os.token.project?.id);
        expect((await os.compute.flavors.list()).length).toBeGreaterThan(0);
      }
    } finally {
      await byId.close();
      await byName.close();
    }

    await lab.os.identity.applicationCredentials.delete(cred.id);
    expect(await lab.os.identity.applicationCredentials.list({ name })).toEqual([]);
    // Keystone answers 404 ("Could not find Application Credential") rather than 401.
    const gone = await createClient({
      authUrl,
      region,
      auth: { type: "applicationCredential", id: cred.id, secret: cred.secret },
    }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OpenStackHttpError);
    expect([401, 404]).toContain((gone as OpenStackHttpError).status);
  });
});
