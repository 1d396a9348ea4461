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

describe("the admin role the operator will use", () => {
  let admin: OpenStackClient;
  const name = testName("wizard-cloud_admin");
  // A cloud whose admin role is not called "admin".
  const roleName = `cptest-wizard-cloud_admin-${name.split("-")[1]}`;
  const password = `Pw-${name}`;
  let projectId = "";
  let userId = "";
  let roleId = "";

  beforeAll(async () => {
    admin = await createClient(labOptions());
    roleId = (await admin.identity.roles.create({ name: roleName })).id;
    projectId = (await admin.identity.projects.create({ name })).id;
    userId = (await admin.identity.users.create({ name, password, defaultProjectId: projectId })).id;
    await admin.identity.ensureRoleAssignment({ project: { id: projectId }, user: { id: userId }, role: { name: "member" } });
    await admin.identity.ensureRoleAssignment({ project: { id: projectId }, user: { id: userId }, role: { id: roleId } });
  });
  afterAll(async () => {
    await cleanup([
      () => admin.identity.users.delete(userId),
      () => admin.identity.projects.delete(projectId),
      () => admin.identity.roles.delete(roleId),
    ]);
    await admin.close();
  });

  const asUser = () => {
    const base = labOptions();
    return { ...base, auth: { type: "password" as const, username: name, password, userDomainName: "Default", projectName: name, projectDomainName: "Default" } };
  };

  it("passes the admin-role check with the cloud's role name", async () => {
    const report = await runPreflight({ options: asUser(), adminRoleName: roleName });
    const role = byId(report, "admin-role");
    expect(role?.status, JSON.stringify(role)).toBe("pass");
    expect(role?.detail).toContain(roleName);
  });

  it("fails with `admin`, saying how to grant it or name the other role", async () => {
    const report = await runPreflight({ options: asUser(), adminRoleName: "admin" });
    const role = byId(report, "admin-role");
    expect(role?.status).toBe("fail");
    expect(role?.detail).toContain(`lacks the admin role on project ${name}`);
    expect(role?.remedy).toContain(`openstack role add --user ${name} --project ${name} admin`);
    expect(role?.remedy).toContain("enter that name as the admin role on the Connect step");
    expect(report.ok).toBe(false);
  });
});

describe("the connection's region and admin URL", () => {
  it("refuses a region the catalog does not have, listing the catalog's", async () => {
    const report = await runPreflight({ options: { ...labOptions(), region: "cptest-wizard-NoSuchRegion" } });
    const region = byId(report, "region");
    expect(region?.status).toBe("fail");
    expect(region?.detail).toMatch(/^Region "cptest-wizard-NoSuchRegion" is not in this cloud's catalog; its regions are: .*RegionOne/);
    expect(region?.fix?.field).toBe("region");
    expect(region?.fix?.values).toContain("RegionOne");
    // Nothing is looked up in a region that does not exist.
    expect(byId(report, "catalog-compute")).toBeUndefined();
    expect(report.catalog.some((e) => e.region === "RegionOne")).toBe(true);
  });

  it("explains the seed's :35357 admin URL and offers the catalog's identity admin endpoint", async () => {
    const report = await runPreflight({ options: labOptions(), adminUrl: "https://127.0.0.1:35357" });
    const check = byId(report, "admin-url");
    expect(check?.status).toBe("fail");
    expect(check?.detail).toContain("https://127.0.0.1:35357: could not reach 127.0.0.1:35357: ECONNREFUSED");
    expect(check?.detail).toContain("since Queens the admin API is the public endpoint");
    const catalogAdmin = report.catalog.find((e) => e.type === "identity" && e.interface === "admin" && e.region === "RegionOne")!.url;
    expect(check?.detail).toContain(`The catalog's identity admin endpoint is ${catalogAdmin}`);
    expect(check?.fix).toEqual({ field: "adminUrl", values: [catalogAdmin] });
    expect(check?.remedy).not.toMatch(/certificate/i);
    // The catalog's own admin endpoint keeps its row; ids stay unique.
    const ids = report.checks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a closed plain-HTTP admin URL on another port: reachability remedy, no certificate talk", async () => {
    const report = await runPreflight({ options: labOptions(), adminUrl: "http://127.0.0.1:9/v3" });
    const check = byId(report, "admin-url");
    expect(check?.status).toBe("fail");
    expect(check?.detail).not.toContain("35357");
    expect(check?.remedy).toMatch(/^Use the catalog's identity admin endpoint/);
    expect(check?.remedy).not.toMatch(/certificate/i);
  });

  it("with the catalog's admin endpoint as the admin URL, nothing fails", async () => {
    const first = await runPreflight({ options: labOptions(), adminUrl: "https://127.0.0.1:35357" });
    const offered = byId(first, "admin-url")!.fix!.values[0];
    const report = await runPreflight({ options: labOptions(), adminUrl: offered });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(byId(report, "admin-url")).toBeUndefined();
  });
});
