import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type OpenStackClient } from "@/lib/openstack";
import { cleanup, labOptions, testName } from "@/lib/openstack/testing/env";
import { runPreflight } from "./preflight";

const byId = (r: Awaited<ReturnType<typeof runPreflight>>, id: string) => r.checks.find((c) => c.id === id);

describe("preflight against the real cloud", () => {
  it("passes on the admin credentials, with warnings for plain-HTTP IP endpoints", async () => {
    const report = await runPreflight({ options: labOptions() });
    const failures = report.checks.filter((c) => c.status === "fail");
    expect(failures, JSON.stringify(failures)).toEqual([]);
    expect(report.ok).toBe(true);
    for (const id of ["discovery", "token", "admin-role", "catalog-identity", "catalog-compute", "catalog-image", "catalog-network", "images", "flavors", "external-network", "routers"]) {
      expect(byId(report, id)?.status, id).toBe("pass");
    }
    const computeEndpoint = byId(report, "endpoint-compute-public");
    expect(computeEndpoint?.status).toBe("warn");
    expect(computeEndpoint?.detail).toMatch(/plain HTTP/);
    expect(computeEndpoint?.detail).toMatch(/bare IP/);
    expect(computeEndpoint?.remedy).toMatch(/HTTPS/);
    expect(byId(report, "endpoint-identity-admin")).toBeDefined();
    expect(report.catalog.some((e) => e.type === "compute" && e.interface === "public")).toBe(true);
  });

  it("fails at the token with Keystone's message for a wrong password", async () => {
    const base = labOptions();
    const report = await runPreflight({
      options: { ...base, auth: { ...base.auth, type: "password", password: "definitely-wrong" } as typeof base.auth },
    });
    expect(report.ok).toBe(false);
    const token = byId(report, "token");
    expect(token?.status).toBe("fail");
    expect(token?.detail).toMatch(/Keystone said 401/);
    expect(token?.remedy).toMatch(/refused these credentials/);
    expect(JSON.stringify(report)).not.toContain("definitely-wrong");
  });

  it("fails at discovery naming the URL when the port is closed, well within 15 s", async () => {
    const started = Date.now();
    const report = await runPreflight({ options: { ...labOptions(), authUrl: "http://127.0.0.1:9/v3", timeoutMs: 3000 } });
    expect(Date.now() - started).toBeLessThan(15_000);
    const discovery = byId(report, "discovery");
    expect(discovery?.status).toBe("fail");
    expect(discovery?.detail).toContain("127.0.0.1:9");
    expect(report.checks).toHaveLength(1);
  });

  describe("with a member-only account", () => {
    let admin: OpenStackClient;
    const name = testName("preflight");
    const password = `Pw-${name}`;
    let projectId = "";
    let userId = "";

    beforeAll(async () => {
      admin = await createClient(labOptions());
      const project = await admin.identity.projects.create({ name });
      projectId = project.id;
      const user = await admin.identity.users.create({ name, password, defaultProjectId: projectId });
      userId = user.id;
      await admin.identity.ensureRoleAssignment({ project: { id: projectId }, user: { id: userId }, role: { name: "member" } });
    });
    afterAll(async () => {
      await cleanup([() => admin.identity.users.delete(userId), () => admin.identity.projects.delete(projectId)]);
      await admin.close();
    });

    it("fails the admin-role check and says how to grant it", async () => {
      const base = labOptions();
      const report = await runPreflight({
        options: {
          ...base,
          auth: { type: "password", username: name, password, userDomainName: "Default", projectName: name, projectDomainName: "Default" },
        },
      });
      const role = byId(report, "admin-role");
      expect(role?.status).toBe("fail");
      expect(role?.detail).toContain(`lacks the admin role on project ${name}`);
      expect(role?.remedy).toContain(`openstack role add --user ${name} --project ${name} admin`);
      expect(report.ok).toBe(false);
    });
  });
});
