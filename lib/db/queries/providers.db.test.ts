import { beforeEach, describe, expect, it } from "vitest";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { identities, machines, providers, sizes } from "../schema";
import { eq } from "drizzle-orm";
import { countAllIdentities, countLiveIdentities, listActiveProviderNames, listProvidersWithCounts } from "./providers";

describe("provider queries", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  const provider = async (name: string) =>
    (await db.insert(providers).values({ name, authUrl: `https://${name}.example.org:5000/v3` }).returning())[0];

  it("lists providers with their live accounts, images and sizes", async () => {
    const a = await provider("cloud-a");
    const b = await provider("cloud-b");
    const u1 = await makeUser(db);
    const u2 = await makeUser(db);
    await db.insert(identities).values([
      { userId: u1.id, providerId: a.id, projectName: "p1" },
      { userId: u2.id, providerId: a.id, projectName: "p2" },
      { userId: u1.id, providerId: b.id, projectName: "p1", endDate: new Date() },
    ]);
    await db.insert(machines).values([
      { providerId: a.id, imageId: "i1", name: "ubuntu" },
      { providerId: b.id, imageId: "i2", name: "debian" },
      { providerId: b.id, imageId: "i3", name: "old", endDate: new Date() },
    ]);
    await db.insert(sizes).values([
      { providerId: b.id, flavorId: "1", name: "m1.tiny", vcpus: 1, ramMb: 512, diskGb: 1 },
      { providerId: b.id, flavorId: "2", name: "m1.small", vcpus: 1, ramMb: 2048, diskGb: 20 },
    ]);
    const rows = await listProvidersWithCounts(db);
    expect(rows.map((r) => [r.name, r.accounts, r.images, r.sizes])).toEqual([
      ["cloud-a", 2, 1, 0],
      ["cloud-b", 0, 1, 2],
    ]);
    expect(await countLiveIdentities(db, b.id)).toBe(0);
    expect(await countAllIdentities(db, b.id)).toBe(1);
  });

  it("names the active providers only, for pickers", async () => {
    const a = await provider("cloud-a");
    const b = await provider("cloud-b");
    await db.update(providers).set({ isActive: false }).where(eq(providers.id, b.id));
    expect(await listActiveProviderNames(db)).toEqual([{ id: a.id, name: "cloud-a" }]);
  });

  it("lists nothing when there are no providers", async () => {
    expect(await listProvidersWithCounts(db)).toEqual([]);
  });
});
