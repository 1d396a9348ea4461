// The security-rules step's bulk request and its fallback, on a fake Neutron: a real one only
// answers the bulk POST with 409 when a rule appears between the listing and the POST.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { FakeCloud } from "@/lib/openstack/testing/fake-cloud";
import { identities, providers, providerSecrets } from "@/lib/db/schema";
import { encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { providerMarker } from "./ownership";
import { provisionAccount } from "./provision";
import { fakeProvisionEnv } from "./testing/fake-env";

const SECRET = "s".repeat(40);
const RULES_PATH = "/network/v2.0/security-group-rules";

type RuleBody = { protocol?: string; port_range_min?: number | null; port_range_max?: number | null };

describe("the security-rules step (fake Neutron)", async () => {
  const db = await testDb();
  let fake: FakeCloud;
  let client: OpenStackClient;

  beforeEach(async () => {
    await truncateAll(db);
    fake = await FakeCloud.start();
    client = await createClient(fake.clientOptions());
    fake.on("GET", "/network/v2.0/security-groups", {
      json: { security_groups: [{ id: "sg-1", name: "default", project_id: "p-1", tenant_id: "p-1", security_group_rules: [] }] },
    });
  });
  afterEach(async () => {
    await client.close();
    await fake.close();
  });

  async function setup(rules: Array<[string, number, number]>) {
    const [p] = await db
      .insert(providers)
      .values({
        name: "site",
        authUrl: "http://127.0.0.1:9/v3",
        adminUsername: "admin",
        adminProjectName: "admin",
        networkName: "public",
        publicRouters: ["public_router"],
        cloudConfig: { user: { domain: "Default", user_role_name: "member", admin_role_name: "admin" }, network: { default_security_rules: rules } },
      })
      .returning();
    await db.insert(providerSecrets).values({ providerId: p.id, credentialSecret: encryptSecret("pw"), accountSecret: encryptSecret(SECRET) });
    // The account's project and user, made by this provider before.
    const project = { id: "p-1", name: "alice", domain_id: "default", enabled: true, description: `Cloudport account of alice ${providerMarker(p.id)}` };
    const kUser = { id: "u-1", name: "alice", domain_id: "default", enabled: true, default_project_id: "p-1", description: `Cloudport account ${providerMarker(p.id)}` };
    fake.on("GET", "/identity/v3/projects", { json: { projects: [project] } });
    fake.on("GET", "/identity/v3/projects/p-1", { json: { project } });
    fake.on("GET", "/identity/v3/users", { json: { users: [kUser] } });
    fake.on("GET", "/identity/v3/users/u-1", { json: { user: kUser } });
    const env = fakeProvisionEnv(p, SECRET);
    const user = await makeUser(db, { username: "alice" });
    const [identity] = await db
      .insert(identities)
      .values({ userId: user.id, providerId: p.id, projectName: "alice", projectId: "p-1", openstackUserId: "u-1" })
      .returning();
    return { env, identity };
  }

  const posts = () => fake.requests.filter((r) => r.method === "POST" && r.path === RULES_PATH).map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it("adds every missing rule in one bulk request", async () => {
    fake.on("POST", RULES_PATH, (req) => {
      const bulk = (JSON.parse(req.body) as { security_group_rules: RuleBody[] }).security_group_rules;
      return { status: 201, json: { security_group_rules: bulk.map((b, i) => ({ id: `r-${i}`, ...b })) } };
    });
    const { env, identity } = await setup([
      ["TCP", 22, 22],
      ["ICMP", -1, -1],
    ]);
    const out = await provisionAccount(db, client, env, identity, "alice", { steps: ["security_rules"] });
    const sent = posts();
    expect(sent).toHaveLength(1);
    expect((sent[0].security_group_rules as RuleBody[]).map((r) => r.protocol)).toEqual(["tcp", "icmp"]);
    expect(out.changes).toContain("2 security rules");
  });

  it("a 409 on the bulk request falls back to one request per rule, and a rule that exists by then is fine", async () => {
    fake.on("POST", RULES_PATH, (req) => {
      const body = JSON.parse(req.body) as { security_group_rules?: RuleBody[]; security_group_rule?: RuleBody };
      // The bulk request meets a rule someone added meanwhile: Neutron refuses all of it.
      if (body.security_group_rules) return { status: 409, json: { NeutronError: { type: "SecurityGroupRuleExists", message: "Security group rule already exists.", detail: "" } } };
      const rule = body.security_group_rule!;
      if (rule.protocol === "tcp" && rule.port_range_min === 22) {
        return { status: 409, json: { NeutronError: { type: "SecurityGroupRuleExists", message: "Security group rule already exists.", detail: "" } } };
      }
      return { status: 201, json: { security_group_rule: { id: `r-${rule.protocol}`, ...rule } } };
    });
    const { env, identity } = await setup([
      ["TCP", 22, 22],
      ["ICMP", -1, -1],
      ["UDP", 1024, 65535],
    ]);
    await provisionAccount(db, client, env, identity, "alice", { steps: ["security_rules"] });
    const sent = posts();
    expect(sent).toHaveLength(4);
    expect(sent[0].security_group_rules).toHaveLength(3);
    expect(
      sent
        .slice(1)
        .map((b) => (b.security_group_rule as RuleBody).protocol)
        .sort(),
    ).toEqual(["icmp", "tcp", "udp"]);
  });

  it("any other refusal of the bulk request fails the step without retrying rule by rule", async () => {
    fake.on("POST", RULES_PATH, { status: 403, json: { NeutronError: { type: "PolicyNotAuthorized", message: "Not allowed.", detail: "" } } });
    const { env, identity } = await setup([["TCP", 22, 22]]);
    await expect(provisionAccount(db, client, env, identity, "alice", { steps: ["security_rules"] })).rejects.toMatchObject({ step: "security_rules" });
    expect(posts()).toHaveLength(1);
  });
});
