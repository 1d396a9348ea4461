import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../../client";
import { FakeCloud } from "../../testing/fake-cloud";

let fake: FakeCloud;
let os: OpenStackClient;

beforeEach(async () => {
  fake = await FakeCloud.start();
  os = await createClient(fake.clientOptions());
});

afterEach(async () => {
  await os.close();
  await fake.close();
});

describe("ensure helpers", () => {
  it("ensureProject creates once and then finds it", async () => {
    const projects: Array<Record<string, unknown>> = [];
    fake.on("GET", "/identity/v3/projects", (req) => ({
      json: { projects: projects.filter((p) => p.name === req.query.get("name") && p.domain_id === req.query.get("domain_id")) },
    }));
    fake.on("POST", "/identity/v3/projects", (req) => {
      const project = { id: `p${projects.length + 1}`, ...JSON.parse(req.body).project };
      projects.push(project);
      return { status: 201, json: { project } };
    });
    const first = await os.identity.ensureProject({ name: "cmart", description: "Atmosphere user" });
    const second = await os.identity.ensureProject({ name: "cmart" });
    expect(first).toMatchObject({ created: true, value: { id: "p1", name: "cmart", domainId: "default" } });
    expect(second).toMatchObject({ created: false, value: { id: "p1" } });
    expect(fake.seen("POST", "/identity/v3/projects")).toHaveLength(1);
  });

  it("ensureRoleAssignment resolves names and grants only when missing", async () => {
    fake.on("GET", "/identity/v3/projects", { json: { projects: [{ id: "p1", name: "cmart", domain_id: "default" }] } });
    fake.on("GET", "/identity/v3/users", { json: { users: [{ id: "u1", name: "cmart", domain_id: "default" }] } });
    fake.on("GET", "/identity/v3/roles", { json: { roles: [{ id: "r1", name: "member" }] } });
    let granted = false;
    fake.on("HEAD", "/identity/v3/projects/p1/users/u1/roles/r1", () => ({ status: granted ? 204 : 404 }));
    fake.on("PUT", "/identity/v3/projects/p1/users/u1/roles/r1", () => {
      granted = true;
      return { status: 204 };
    });
    const ref = { project: { name: "cmart" }, user: { name: "cmart" }, role: { name: "member" } };
    expect(await os.identity.ensureRoleAssignment(ref)).toEqual({
      created: true,
      value: { projectId: "p1", userId: "u1", roleId: "r1" },
    });
    expect((await os.identity.ensureRoleAssignment(ref)).created).toBe(false);
    expect(fake.seen("PUT", "/identity/v3/projects/p1/users/u1/roles/r1")).toHaveLength(1);
    expect(fake.seen("GET", "/identity/v3/users")[0].query.get("domain_id")).toBe("default");
  });

  it("a name that matches nothing is a clear error", async () => {
    fake.on("GET", "/identity/v3/projects", { json: { projects: [] } });
    fake.on("GET", "/identity/v3/users", { json: { users: [] } });
    fake.on("GET", "/identity/v3/roles", { json: { roles: [] } });
    await expect(
      os.identity.ensureRoleAssignment({ project: { name: "x" }, user: { id: "u1" }, role: { name: "member" } }),
    ).rejects.toThrow(/No (project named "x"|role named "member")/);
  });
});
