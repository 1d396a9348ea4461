import { describe, expect, it } from "vitest";
import { explainFault, explanationText } from "./faults";

describe("explainFault", () => {
  it.each([
    ["No valid host was found. There are not enough hosts available.", "No hypervisor can take this server", /smaller flavor/],
    ["Exceeded maximum number of retries. Exceeded max scheduling attempts 3 for instance 7b1e. Last exception: Binding failed", "Every host Nova tried failed the build", /nova-compute/],
    ["Nova said 403 on POST /servers: Quota exceeded for cores: Requested 4096, but already used 0 of 20 cores", "The project is out of quota", /Raise the project's quota/],
    ["Neutron said 409 on POST /floatingips: Quota exceeded for resources: ['floatingip'].", "The project is out of quota", /floating IPs/],
    ["Maximum number of volumes allowed (10) exceeded for quota 'volumes'.", "The project is out of quota", /quota/],
    ["Binding failed for port 5e0c, please check neutron logs for more information.", "Neutron could not bind the server's port", /agent/],
    ["Build of instance x aborted: Failed to allocate the network(s), not rescheduling. Virtual Interface creation failed", "The network did not report the port up in time", /vif-plugged/],
    ["Insufficient compute resources: Free memory 100 MB < requested 4096 MB.", "The chosen host ran out of room", /Placement/],
    ["Flavor's disk is too small for requested image. Flavor disk is 1073741824 bytes, image is 2147483648 bytes.", "The flavor's disk is smaller than the image needs", /min_disk/],
    ["Image 0c5a could not be found.", "The image is gone or not visible to the project", /share the image/],
    ["Flavor 99 could not be found.", "The flavor is gone or not available to the project", /access/],
    ["No more IP addresses available on network 2f1c.", "The address pool is exhausted", /Release unused/],
    ["External network 9a7e is not reachable from subnet 3b1f. Therefore, cannot associate Port 1 with a Floating IP.", "The server's subnet has no router to the external network", /router/],
    ["Keystone said 401 on POST /v3/auth/tokens: The request you have made requires authentication.", "The account could not sign in", /account secret/],
    ["Server is still BUILD (spawning) after 10 min", "The cloud did not finish in time", /overloaded/],
  ])("%s", (message, title, meaning) => {
    const e = explainFault(message);
    expect(e?.title).toBe(title);
    expect(e?.meaning).toMatch(meaning);
  });

  it("knows nothing about other messages", () => {
    expect(explainFault("Something odd happened")).toBeNull();
    expect(explainFault("")).toBeNull();
    expect(explainFault(undefined)).toBeNull();
    expect(explanationText("Something odd")).toBeUndefined();
    expect(explanationText("No valid host was found.")).toMatch(/^No hypervisor can take this server\. The scheduler/);
  });
});
