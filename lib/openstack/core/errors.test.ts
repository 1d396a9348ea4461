import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../client";
import { FakeCloud } from "../testing/fake-cloud";
import errors from "../testing/fixtures/errors.json";
import { extractServiceFault } from "./error-body";
import { OpenStackHttpError } from "./errors";

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

async function failure(call: () => Promise<unknown>): Promise<OpenStackHttpError> {
  const err = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenStackHttpError);
  return err as OpenStackHttpError;
}

describe("error bodies recorded from the lab", () => {
  it("Nova itemNotFound", async () => {
    fake.on("GET", "/compute/v2.1/servers/nope", FakeCloud.replay(errors.novaItemNotFound));
    const err = await failure(() => os.compute.servers.get("nope"));
    expect(err.message).toBe(
      `Nova said 404 on GET ${fake.url}/compute/v2.1/servers/nope: Instance nope could not be found. ` +
        `(request ${errors.novaItemNotFound.headers["x-openstack-request-id"]})`,
    );
    expect(err).toMatchObject({ service: "Nova", method: "GET", status: 404, errorType: "itemNotFound" });
    expect(err.requestId).toMatch(/^req-/);
  });

  it("Nova badRequest on POST", async () => {
    fake.on("POST", "/compute/v2.1/servers", FakeCloud.replay(errors.novaBadRequest));
    const err = await failure(() =>
      os.compute.servers.create({ name: "x", flavorId: "f", imageId: "i", networks: "none" }),
    );
    expect(err.status).toBe(400);
    expect(err.errorType).toBe("badRequest");
    expect(err.serviceMessage).toBe("Invalid input for field/attribute server. Value: {}. 'name' is a required property");
  });

  it("Nova computeFault (500) after the retries are spent", async () => {
    fake.on("GET", "/compute/v2.1/servers/detail", {
      status: 500,
      headers: { "content-type": "application/json", "x-compute-request-id": "req-cf" },
      text: JSON.stringify({
        computeFault: {
          code: 500,
          message: "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class 'KeyError'>",
        },
      }),
    });
    const err = await failure(() => os.compute.servers.list());
    expect(err.errorType).toBe("computeFault");
    expect(err.serviceMessage).toMatch(/^Unexpected API Error\. .* <class 'KeyError'>$/);
    expect(err.requestId).toBe("req-cf");
    // 500 is not a transient proxy error: no retry.
    expect(fake.seen("GET", "/compute/v2.1/servers/detail")).toHaveLength(1);
  });

  it("Neutron NeutronError", async () => {
    fake.on("GET", "/network/v2.0/networks/nope", FakeCloud.replay(errors.neutronNotFound));
    const err = await failure(() => os.network.networks.get("nope"));
    expect(err.message).toMatch(/^Neutron said 404 on GET .*\/network\/v2.0\/networks\/nope: Network nope could not be found\. \(request req-/);
    expect(err.errorType).toBe("NetworkNotFound");
  });

  it("Keystone error object", async () => {
    fake.on("GET", "/identity/v3/projects/nope", FakeCloud.replay(errors.keystoneNotFound));
    const err = await failure(() => os.identity.projects.get("nope"));
    expect(err.service).toBe("Keystone");
    expect(err.serviceMessage).toBe("Could not find project: nope.");
  });

  it("Glance HTML page", async () => {
    fake.on("GET", "/image/v2/images/nope", FakeCloud.replay(errors.glanceHtmlNotFound));
    const err = await failure(() => os.image.images.get("nope"));
    expect(err.serviceMessage).toBe("No image found with ID nope");
    expect(err.body).toContain("<h1>404 Not Found</h1>");
  });

  it("Glance JSON message", async () => {
    fake.on("GET", "/image/v2/images/nope", FakeCloud.replay(errors.glanceJsonNotFound));
    expect((await failure(() => os.image.images.get("nope"))).serviceMessage).toBe("No image found with ID nope");
  });

  it("Glance two-line text body", async () => {
    fake.on("DELETE", "/image/v2/images/gone", {
      status: 404,
      headers: { "content-type": "text/plain; charset=UTF-8" },
      text: "404 Not Found\n\nThe resource could not be found.\n\n   ",
    });
    const err = await failure(() => os.image.images.delete("gone"));
    expect(err.message).toBe(`Glance said 404 on DELETE ${fake.url}/image/v2/images/gone: The resource could not be found.`);
  });

  it("Cinder itemNotFound, at the project-substituted URL", async () => {
    const project = os.token.project?.id;
    fake.on("GET", `/volume/v3/${project}/volumes/nope`, FakeCloud.replay(errors.cinderNotFound));
    const err = await failure(() => os.blockStorage.volumes.get("nope"));
    expect(err.service).toBe("Cinder");
    expect(err.serviceMessage).toBe("Volume nope could not be found.");
  });

  it("Placement errors list", async () => {
    fake.on("GET", "/placement/resource_providers/nope", FakeCloud.replay(errors.placementNotFound));
    const err = await failure(() => os.placement.resourceProviders.get("nope"));
    expect(err.serviceMessage).toBe("No resource provider with uuid nope found");
  });
});

describe("extractServiceFault", () => {
  it.each([
    [{ errors: [{ title: "Conflict", detail: "" }] }, "Conflict"],
    [{ badMethod: { code: 405, message: "The method specified is not allowed." } }, "The method specified is not allowed."],
    [{ faultstring: "Swift-style fault" }, "Swift-style fault"],
    ["<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>", "502 Bad Gateway"],
    ['{"error": {"message": "as text"}}', "as text"],
    [{ unrelated: true, shape: 1 }, null],
    ["", null],
  ])("%j → %s", (body, expected) => {
    expect(extractServiceFault(body)?.message ?? null).toBe(expected);
  });
});
