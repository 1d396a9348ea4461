import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { getProviderDraft } from "@/lib/db/queries/provider-drafts";
import { auditRows, depsAs, redirectOf } from "@/test/actions";
import { testDb, truncateAll } from "@/test/db";
import { FakeCloud } from "@/lib/openstack/testing/fake-cloud";
import { discardProviderDraft, saveAccountsStep, saveConnectStep, startProviderDraft, verifyDraft } from "./draft-actions";

const SECRET = "0123456789abcdef0123456789abcdef";
const accounts = { adminRoleName: "admin", userRoleName: "member", domain: "Default" };

describe("provider wizard actions", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  async function start(deps: Awaited<ReturnType<typeof depsAs>>): Promise<string> {
    const to = await redirectOf(runAction(deps, startProviderDraft, new FormData()));
    const m = /^\/providers\/new\/([0-9a-f-]{36})\/connect$/.exec(to);
    expect(m, to).not.toBeNull();
    return m![1];
  }

  it("refuses a user without staff access, and starts nothing", async () => {
    const r = await runAction(await depsAs(db, { isStaff: false }), startProviderDraft, {});
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await auditRows(db)).toHaveLength(0);
  });

  it("says what is missing, and keeps a draft to the person who started it", async () => {
    const deps = await depsAs(db, { isStaff: true });
    const draftId = await start(deps);
    const noSecret = await runAction(deps, saveAccountsStep, { draftId, ...accounts });
    expect(noSecret).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: "Enter an account secret of at least 32 characters, or press Generate." },
    });
    const short = await runAction(deps, saveAccountsStep, { draftId, ...accounts, accountSecret: "short" });
    expect(!short.ok && short.error.fieldErrors?.accountSecret).toEqual(["The account secret must be at least 32 characters."]);
    const broken = await runAction(deps, discardProviderDraft, { draftId: "nope" });
    expect(!broken.ok && broken.error.fieldErrors?.draftId?.[0]).toMatch(/This wizard link is broken/);

    const other = await depsAs(db, { isStaff: true });
    expect(await runAction(other, discardProviderDraft, { draftId })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await getProviderDraft(db, deps.user!.id, draftId)).toBeTruthy();
  });

  it("starts a draft, saves a step and discards it, each audited", async () => {
    const deps = await depsAs(db, { isStaff: true });
    const draftId = await start(deps);
    expect(await redirectOf(runAction(deps, saveAccountsStep, { draftId, ...accounts, accountSecret: SECRET }))).toBe(
      `/providers/new/${draftId}/deploy`,
    );
    const saved = await getProviderDraft(db, deps.user!.id, draftId);
    expect(saved).toMatchObject({ step: "deploy", data: { accounts } });
    expect(saved!.secrets.accountSecret).toBe(SECRET);

    expect(await redirectOf(runAction(deps, discardProviderDraft, { draftId }))).toBe("/providers");
    expect(await getProviderDraft(db, deps.user!.id, draftId)).toBeFalsy();
    const rows = await auditRows(db);
    expect(rows.map((r) => r.action)).toEqual(["provider_draft.start", "provider_draft.accounts", "provider_draft.discard"]);
    expect(rows.every((r) => r.targetId === draftId && r.actorUsername === deps.user!.username)).toBe(true);
    // Which secrets were given, never their value.
    expect(rows[1].details).toMatchObject({ newAccountSecret: true });
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });

  describe("the Connect step against a fake Keystone", () => {
    let fake: FakeCloud;
    beforeEach(async () => {
      fake = await FakeCloud.start();
    });
    afterEach(() => fake.close());

    const connectFields = () => ({
      authUrl: `${fake.url}/identity/v3`,
      region: "RegionOne",
      authMethod: "password",
      username: "admin",
      projectName: "admin",
      userDomainName: "Default",
      projectDomainName: "Default",
    });
    // The add_new_provider JSON's cloud_config, as the Connect form sends it after reading the file.
    const imported = (adminRole: string) => JSON.stringify({ cloudConfig: { user: { admin_role_name: adminRole } } });
    const roleCheck = (report: unknown) => (report as { checks: Array<{ id: string; status: string; detail: string }> }).checks.find((c) => c.id === "admin-role");

    it("Verify checks the admin role the imported file names when Connect left the role blank", async () => {
      const deps = await depsAs(db, { isStaff: true });
      const draftId = await start(deps);
      await redirectOf(runAction(deps, saveConnectStep, { draftId, ...connectFields(), password: "pw", imported: imported("cloud_admin") }));
      const r = await runAction(deps, verifyDraft, { draftId });
      expect(r.ok).toBe(true);
      // The fake's token holds member, reader and admin: not the imported cloud_admin.
      expect(roleCheck(r.ok && r.data)).toMatchObject({ status: "fail", detail: expect.stringContaining("lacks the cloud_admin role") });
    });

    it("a role typed on Connect wins over the imported one", async () => {
      const deps = await depsAs(db, { isStaff: true });
      const draftId = await start(deps);
      await redirectOf(runAction(deps, saveConnectStep, { draftId, ...connectFields(), adminRoleName: "admin", password: "pw", imported: imported("cloud_admin") }));
      const r = await runAction(deps, verifyDraft, { draftId });
      expect(roleCheck(r.ok && r.data)).toMatchObject({ status: "pass" });
    });

    it("a blank secret keeps the one typed before; switching method drops the other secret", async () => {
      const deps = await depsAs(db, { isStaff: true });
      const draftId = await start(deps);
      await redirectOf(runAction(deps, saveConnectStep, { draftId, ...connectFields(), password: "first-pw" }));
      await redirectOf(runAction(deps, saveConnectStep, { draftId, ...connectFields(), password: "" }));
      expect((await getProviderDraft(db, deps.user!.id, draftId))!.secrets).toMatchObject({ password: "first-pw" });
      const noSecret = await runAction(deps, saveConnectStep, { draftId, ...connectFields(), authMethod: "application_credential", applicationCredentialId: "ac-1" });
      expect(noSecret).toMatchObject({ ok: false, error: { code: "invalid_input", message: "Enter the application credential secret.", fieldErrors: { applicationCredentialSecret: ["Enter the application credential secret."] } } });
      await redirectOf(
        runAction(deps, saveConnectStep, { draftId, ...connectFields(), authMethod: "application_credential", applicationCredentialId: "ac-1", applicationCredentialSecret: "ac-secret" }),
      );
      const secrets = (await getProviderDraft(db, deps.user!.id, draftId))!.secrets;
      expect(secrets.applicationCredentialSecret).toBe("ac-secret");
      expect(secrets.password).toBeUndefined();
    });
  });
});
