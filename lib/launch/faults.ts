// What Nova faults and OpenStack error messages usually mean, for operators reading a failed
// launch. Pure: matched on the message text, first rule wins.

export type FaultExplanation = { title: string; meaning: string };

const RULES: Array<{ test: RegExp; title: string; meaning: string }> = [
  {
    test: /No valid host was found/i,
    title: "No hypervisor can take this server",
    meaning:
      "The scheduler found no compute host with enough free vCPU, RAM or disk for the flavor, or the flavor is bigger than any single hypervisor, or its extra specs / the image's properties (aggregates, availability zone, PCI/GPU) match no host. Check capacity in Placement, try a smaller flavor, and check the flavor's extra specs.",
  },
  {
    test: /Exceeded maximum number of retries/i,
    title: "Every host Nova tried failed the build",
    meaning:
      "The scheduler picked hosts but the build failed on each of them and Nova gave up. The cause is on the compute hosts: look in nova-compute's log for the server id (libvirt or hypervisor errors, image download or disk space, port binding). A single broken hypervisor usually shows as repeated retries.",
  },
  {
    test: /Quota exceeded|exceeds? (the )?quota|exceeded for quota|over ?quota|QuotaError|OverQuota/i,
    title: "The project is out of quota",
    meaning:
      "The identity's project has used up a quota (instances, cores, RAM, floating IPs, ports, volumes or gigabytes; the message names it). Raise the project's quota or delete what it no longer needs.",
  },
  {
    test: /Binding failed for port|PortBindingFailed|binding_failed/i,
    title: "Neutron could not bind the server's port",
    meaning:
      "No Neutron mechanism driver could bind the port on the chosen host: the L2 agent (Open vSwitch, Linux bridge, OVN) on that hypervisor is down or does not know the network's type or physical network. Check `openstack network agent list` and the agent's bridge mappings.",
  },
  {
    test: /Virtual Interface creation failed|vif.*(timed out|timeout)/i,
    title: "The network did not report the port up in time",
    meaning:
      "Nova waited for Neutron's network-vif-plugged event and it never came: the L2 agent on the host is slow or down, or Neutron cannot notify Nova (check [nova] credentials in neutron.conf).",
  },
  {
    test: /Insufficient compute resources/i,
    title: "The chosen host ran out of room",
    meaning:
      "The host the scheduler picked no longer had the resources when the build claimed them (a race with other builds, or stale Placement inventory). Retrying usually works; if it keeps happening, check Placement's inventory against the hypervisors.",
  },
  {
    test: /Flavor's disk is too small|FlavorDiskSmallerThan|disk is too small for requested image/i,
    title: "The flavor's disk is smaller than the image needs",
    meaning: "Pick a flavor whose root disk is at least the image's size and min_disk, or fix the image's min_disk property.",
  },
  {
    test: /Flavor's memory is too small|FlavorMemoryTooSmall/i,
    title: "The flavor's RAM is below the image's min_ram",
    meaning: "Pick a flavor with more RAM, or lower the image's min_ram property if it is wrong.",
  },
  {
    test: /Image .*could not be found|Image not found|ImageNotFound/i,
    title: "The image is gone or not visible to the project",
    meaning: "The image was deleted, deactivated or is private to another project. Re-import images, or share the image with the identity's project.",
  },
  {
    test: /Flavor .*could not be found|FlavorNotFound/i,
    title: "The flavor is gone or not available to the project",
    meaning: "The flavor was deleted, or it is private and the identity's project has no access to it. Re-import sizes, or grant the project access to the flavor.",
  },
  {
    test: /Network .*could not be found|NetworkNotFound/i,
    title: "The network is gone or not visible to the project",
    meaning: "The identity's network was deleted or belongs to another project. Re-provision the account to recreate its network.",
  },
  {
    test: /No more IP addresses available|IpAddressGenerationFailure|No more (available )?floating/i,
    title: "The address pool is exhausted",
    meaning: "No free address is left in the subnet or in the external network's floating-IP pool. Release unused floating IPs, or add an allocation pool.",
  },
  {
    test: /is not reachable from subnet|External network .* not reachable|ExternalGatewayForFloatingIPNotFound/i,
    title: "The server's subnet has no router to the external network",
    meaning:
      "A floating IP needs a router with its gateway on the external network and an interface on the server's subnet. Re-provision the account (it wires the router of the provider's topology) or add the interface by hand.",
  },
  {
    test: /Block Device Mapping is Invalid|did not finish being created|BuildAbortException.*[Vv]olume/i,
    title: "A volume for the server could not be prepared",
    meaning: "Cinder did not create or attach the boot volume in time. Check cinder-volume's log and the backend's free space.",
  },
  {
    test: /requires authentication|The request you have made requires authentication|Invalid username or password|\b401\b/i,
    title: "The account could not sign in",
    meaning:
      "Keystone refused the identity's derived password: the user or project was removed or renamed, the user was created with another password, or the provider's account secret changed since the account was made. Re-provision the account.",
  },
  {
    test: /is not authorized|Policy doesn't allow|\b403\b|Forbidden/i,
    title: "The account is not allowed to do this",
    meaning: "The identity lacks a role on its project (the provider's user role, e.g. member), or the cloud's policy forbids the call for members.",
  },
  {
    test: /Timed out|timeout|still (BUILD|building)/i,
    title: "The cloud did not finish in time",
    meaning: "The step took longer than the console waits. The cloud may be overloaded, or a service (scheduler, conductor, compute) is stuck; check their logs.",
  },
];

/** The usual meaning of a Nova fault or an OpenStack error message, or null when unknown. */
export function explainFault(message: string | null | undefined): FaultExplanation | null {
  if (!message) return null;
  const rule = RULES.find((r) => r.test.test(message));
  return rule ? { title: rule.title, meaning: rule.meaning } : null;
}

/** One line: "title: meaning", for storing beside the message. */
export function explanationText(message: string | null | undefined): string | undefined {
  const e = explainFault(message);
  return e ? `${e.title}. ${e.meaning}` : undefined;
}
