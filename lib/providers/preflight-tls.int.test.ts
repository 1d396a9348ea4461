import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { optionsFromEnv } from "@/lib/openstack/env";
import { parseOpenrc } from "@/lib/openstack/testing/env";
import { runPreflight } from "./preflight";

// The lab's HTTPS twin (scripts/openstack-lab/tls.sh, run by .ci/run): region RegionTLS behind
// a private CA, plus a listener with a foreign self-signed certificate and one with an expired one.
const TLS_OPENRC = `${process.env.OSLAB_STATE ?? "/var/tmp/openstack-lab"}/openrc-tls`;
const haveTls = existsSync(TLS_OPENRC);
// Outside CI a cloud without the TLS twin skips these; in CI (.ci/run runs tls.sh) they must run.
const skip = !haveTls && process.env.CI !== "true";
const byId = (r: Awaited<ReturnType<typeof runPreflight>>, id: string) => r.checks.find((c) => c.id === id);

describe.skipIf(skip)("preflight over TLS (the lab's RegionTLS)", () => {
  const options = () => optionsFromEnv(parseOpenrc(readFileSync(TLS_OPENRC, "utf8")));

  it("passes every endpoint check with the provider's CA bundle: HTTPS, host names, trusted, days to expiry", async () => {
    const report = await runPreflight({ options: options() });
    expect(report.checks.filter((c) => c.status === "fail"), JSON.stringify(report.checks)).toEqual([]);
    const endpoints = report.checks.filter((c) => c.id.startsWith("endpoint-"));
    expect(endpoints.length).toBeGreaterThanOrEqual(6);
    for (const e of endpoints) {
      expect(e.status, e.detail).toBe("pass");
      expect(e.detail).toMatch(/^https:\/\/localhost:\d+/);
      expect(e.detail).toMatch(/certificate trusted, \d+ days to expiry/);
    }
  });

  it("fails at discovery without the CA bundle, saying the certificate is not trusted", async () => {
    const report = await runPreflight({ options: { ...options(), caBundle: undefined } });
    const discovery = byId(report, "discovery");
    expect(discovery?.status).toBe("fail");
    expect(discovery?.detail).toMatch(/certificate|issuer/i);
    expect(discovery?.remedy).toMatch(/CA bundle/);
  });

  it.each([
    [1, /self-signed/i],
    [2, /expired/i],
  ])("names the certificate problem on the keystone port + %i", async (offset, problem) => {
    const base = options();
    const url = new URL(base.authUrl);
    url.port = String(Number(url.port) + offset);
    const report = await runPreflight({ options: { ...base, authUrl: url.toString() } });
    const discovery = byId(report, "discovery");
    expect(discovery?.status).toBe("fail");
    expect(discovery?.detail).toMatch(problem);
  });
});
