import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { providers } from "@/lib/db/schema";
import { testDb, truncateAll } from "@/test/db";
import { readGroupVars } from "./group-vars";
import { saveGroupVars } from "./load";

describe("group_vars in cloud_config", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("replaces group_vars and keeps every other cloud_config key", async () => {
    const cloudConfig = { network: { topology: "External Router Topology" }, deploy: { hostname_format: "vm%(four)s" }, custom: [1] };
    const [p] = await db.insert(providers).values({ name: "lab", authUrl: "http://x:5000/v3", cloudConfig }).returning();
    const first = await saveGroupVars(db, p.id, { TIMEZONE: "America/Phoenix", NTP_SERVERS: "a b" });
    expect(first.before).toEqual({});
    const second = await saveGroupVars(db, p.id, { TIMEZONE: "UTC" });
    expect(second.before).toEqual({ TIMEZONE: "America/Phoenix", NTP_SERVERS: "a b" });
    const [row] = await db.select().from(providers).where(eq(providers.id, p.id));
    expect(row.cloudConfig).toEqual({ ...cloudConfig, group_vars: { TIMEZONE: "UTC" } });
    expect(readGroupVars(row.cloudConfig)).toEqual({ TIMEZONE: "UTC" });
  });

  it("unwraps a cloud_config that was stored as a JSON string instead of losing it", async () => {
    const [p] = await db.insert(providers).values({ name: "lab", authUrl: "http://x:5000/v3" }).returning();
    await db.execute(sql`update providers set cloud_config = to_jsonb(${JSON.stringify({ deploy: { hostname_format: "vm%(four)s" } })}::text) where id = ${p.id}`);
    await saveGroupVars(db, p.id, { A: "1" });
    const [row] = await db.select().from(providers).where(eq(providers.id, p.id));
    expect(row.cloudConfig).toEqual({ deploy: { hostname_format: "vm%(four)s" }, group_vars: { A: "1" } });
  });

  it("says when the provider is gone", async () => {
    await expect(saveGroupVars(db, 999, {})).rejects.toMatchObject({ code: "not_found" });
  });
});
