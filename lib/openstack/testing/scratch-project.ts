import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { labOptions } from "./env";

/** A throw-away project of the lab's for a test, with a network of its own and a client scoped to it. */
export type ScratchProject = {
  project: Awaited<ReturnType<OpenStackClient["identity"]["projects"]["create"]>>;
  network: Awaited<ReturnType<OpenStackClient["network"]["networks"]["create"]>>;
  subnet: Awaited<ReturnType<OpenStackClient["network"]["subnets"]["create"]>>;
  /** Scoped to the project (to boot servers in it); the caller closes it. */
  scoped: OpenStackClient;
};

/**
 * Makes a project named `name` with the admin user as its admin, a network and a /24 subnet in
 * `10.<octet>.x.0` (x random), and a password client scoped to it. Every deletion is pushed on
 * `undo` as soon as its thing exists: run them in reverse (cleanup(undo.reverse())).
 */
export async function scratchProject(
  os: OpenStackClient,
  name: string,
  opts: { description: string; octet: number },
  undo: Array<() => Promise<unknown>>,
): Promise<ScratchProject> {
  const project = await os.identity.projects.create({ name, description: opts.description });
  undo.push(() => os.identity.projects.delete(project.id));
  const adminRole = await os.identity.roles.findByName("admin");
  await os.identity.roleAssignments.grantOnProject({ projectId: project.id, userId: os.token.user.id, roleId: adminRole!.id });
  const network = await os.network.networks.create({ name: `${name}-net`, projectId: project.id });
  undo.push(() => os.network.networks.delete(network.id));
  const subnet = await os.network.subnets.create({
    networkId: network.id,
    name: `${name}-subnet`,
    cidr: `10.${opts.octet}.${Math.floor(Math.random() * 250)}.0/24`,
    ipVersion: 4,
    projectId: project.id,
  });
  undo.push(() => os.network.subnets.delete(subnet.id));
  const base = labOptions();
  if (base.auth.type !== "password") throw new Error("a scratch project needs the lab's password credentials (OS_PASSWORD)");
  const scoped = await createClient({
    ...base,
    auth: { ...base.auth, projectName: undefined, projectDomainName: undefined, projectDomainId: undefined, projectId: project.id },
  });
  return { project, network, subnet, scoped };
}
