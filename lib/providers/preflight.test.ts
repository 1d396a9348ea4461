import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeCloud } from "@/lib/openstack/testing/fake-cloud";
import { runPreflight } from "./preflight";

// The token step's remedy when Keystone answers 401, against a local fake Keystone.

let fake: FakeCloud;
beforeEach(async () => {
  fake = await FakeCloud.start();
  fake.on("POST", "/identity/v3/auth/tokens", {
    status: 401,
    json: { error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" } },
  });
});
afterEach(() => fake.close());

const tokenCheck = async (auth: Record<string, unknown>) => {
  const base = fake.clientOptions();
  const report = await runPreflight({ options: { ...base, auth: { ...(base.auth as object), ...auth } as unknown as typeof base.auth } });
  expect(report.ok).toBe(false);
  return report.checks.find((c) => c.id === "token");
};

describe("preflight: Keystone refuses the credentials (401)", () => {
  it("with a project id (an openrc's OS_PROJECT_ID), the remedy names the Project ID field and its value", async () => {
    const check = await tokenCheck({ projectId: "0123abcd", projectName: undefined, projectDomainName: undefined });
    expect(check).toMatchObject({ status: "fail" });
    expect(check!.remedy).toBe(
      "Keystone refused these credentials: check the username, password and domains, and the Project ID field (0123abcd) — when it is set the token is scoped to that id and the project name is not sent; clear it to use the name.",
    );
    // What was sent really was the id, not the name.
    const sent = JSON.parse(fake.seen("POST", "/identity/v3/auth/tokens")[0].body);
    expect(sent.auth.scope).toEqual({ project: { id: "0123abcd" } });
  });

  it("with a project name only, the remedy does not mention a project id", async () => {
    const check = await tokenCheck({});
    expect(check!.remedy).toBe("Keystone refused these credentials: check the username, password (or application credential), project and domains.");
    expect(check!.remedy).not.toMatch(/Project ID/);
  });
});
