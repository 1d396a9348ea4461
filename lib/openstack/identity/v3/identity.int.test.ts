import { describe, expect, it } from "vitest";

import { createClient } from "../../client";
import { labOptions, testName } from "../../testing/env";
import { useLabClient } from "../../testing/lab-client";

const lab = useLabClient();

describe("identity against the lab", () => {
  it("lists domains and roles and finds them by name", async () => {
    expect((await lab.os.identity.domains.findByName("Default"))?.id).toBe("default");
    const roles = await lab.os.identity.roles.list();
    expect(roles.map((r) => r.name)).toEqual(expect.arrayContaining(["admin", "member", "reader"]));
    expect((await lab.os.identity.roles.findByName("member"))?.name).toBe("member");
  });

  it("ensures a project, a user and a role assignment, idempotently, and the user can log in", async () => {
    const name = testName("user");
    const password = `pw-${name}-0123456789`;

    const project = await lab.os.identity.ensureProject({ name, description: "cloudport integration test" });
    lab.undo.push(() => lab.os.identity.projects.delete(project.value.id));
    const user = await lab.os.identity.ensureUser({ name, password, defaultProjectId: project.value.id });
    lab.undo.push(() => lab.os.identity.users.delete(user.value.id));
    const grant = await lab.os.identity.ensureRoleAssignment({
      project: { name },
      user: { name },
      role: { name: "member" },
    });
    expect([project.created, user.created, grant.created]).toEqual([true, true, true]);

    const again = await Promise.all([
      lab.os.identity.ensureProject({ name }),
      lab.os.identity.ensureUser({ name, password }),
      lab.os.identity.ensureRoleAssignment({ project: { id: project.value.id }, user: { id: user.value.id }, role: { name: "member" } }),
    ]);
    expect(again.map((e) => e.created)).toEqual([false, false, false]);
    expect(again[0].value.id).toBe(project.value.id);

    const assignments = await lab.os.identity.roleAssignments.list({ projectId: project.value.id, includeNames: true });
    expect(assignments).toEqual([
      expect.objectContaining({ userId: user.value.id, userName: name, roleName: "member", projectName: name }),
    ]);
    expect(await lab.os.identity.roleAssignments.checkOnProject(grant.value)).toBe(true);

    const { authUrl, region } = labOptions();
    const asUser = await createClient({ authUrl, region, auth: { type: "password", username: name, password, projectName: name } });
    expect(asUser.token.project?.id).toBe(project.value.id);
    expect(asUser.token.roles.map((r) => r.name)).toContain("member");
    await asUser.close();

    await lab.os.identity.roleAssignments.revokeFromProject(grant.value);
    expect(await lab.os.identity.roleAssignments.checkOnProject(grant.value)).toBe(false);

    const updated = await lab.os.identity.projects.update(project.value.id, { description: "updated" });
    expect(updated.description).toBe("updated");
    expect((await lab.os.identity.users.get(user.value.id)).defaultProjectId).toBe(project.value.id);
  });

  it("lists projects and users", async () => {
    expect((await lab.os.identity.projects.list()).map((p) => p.name)).toEqual(expect.arrayContaining(["admin", "service"]));
    const admins = await lab.os.identity.users.list({ name: "admin", domainId: "default" });
    expect(admins).toHaveLength(1);
  });
});
