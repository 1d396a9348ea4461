import type { Identity } from "@/lib/db/schema";

/** The provisioning steps, in the order they run (each depends on the ones before it). */
export const PROVISION_STEPS = ["project", "user", "roles", "security_rules", "network", "subnet", "router"] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number];

/** Tear-down steps, the reverse of provisioning. */
export const REMOVE_STEPS = [
  "remove_interface",
  "remove_router",
  "remove_subnet",
  "remove_network",
  "remove_security_groups",
  "remove_roles",
  "remove_project",
  "remove_user",
] as const;
export type RemoveStep = (typeof REMOVE_STEPS)[number];

export const STEP_LABELS: Record<ProvisionStep | RemoveStep, string> = {
  project: "Keystone project",
  user: "Keystone user",
  roles: "Role assignments",
  security_rules: "Security rules",
  network: "Network",
  subnet: "Subnet",
  router: "Router wiring",
  remove_interface: "Remove router interface",
  remove_router: "Delete router",
  remove_subnet: "Delete subnet",
  remove_network: "Delete network",
  remove_security_groups: "Delete security groups",
  remove_roles: "Revoke roles",
  remove_project: "Delete project",
  remove_user: "Delete user",
};

export function stepLabel(step: string | null | undefined): string {
  if (!step) return "—";
  return STEP_LABELS[step as ProvisionStep] ?? step;
}

/** What the planner reads from an identity row. */
export type PlannerInput = Pick<
  Identity,
  "state" | "lastStep" | "projectId" | "openstackUserId" | "networkId" | "subnetId" | "subnetCidr" | "routerId"
>;

export type PlannedStep = { step: ProvisionStep; run: boolean; reason: string };

/** Whether the identity row holds what a step produces (steps without an id need none). */
function recorded(step: ProvisionStep, i: PlannerInput): boolean {
  switch (step) {
    case "project":
      return Boolean(i.projectId);
    case "user":
      return Boolean(i.openstackUserId);
    case "roles":
    case "security_rules":
      return Boolean(i.projectId && i.openstackUserId);
    case "network":
      return Boolean(i.networkId);
    case "subnet":
      return Boolean(i.subnetId && i.subnetCidr);
    case "router":
      return Boolean(i.routerId);
  }
}

/**
 * Which steps to run for an identity. Steps finished before (known from the state and the last
 * step, and whose ids are recorded) are skipped; everything from the first unfinished step on
 * runs, and each of those looks on the cloud before creating, so re-running never duplicates.
 * `rebuild` runs every step. A complete account runs nothing.
 */
export function planProvisioning(identity: PlannerInput, options: { rebuild?: boolean } = {}): PlannedStep[] {
  if (options.rebuild) return PROVISION_STEPS.map((step) => ({ step, run: true, reason: "rebuild" }));
  // Steps before this index finished in an earlier run.
  let finished: number;
  if (identity.state === "active") finished = PROVISION_STEPS.length;
  else if (identity.state === "failed" || identity.state === "provisioning") {
    const at = PROVISION_STEPS.indexOf(identity.lastStep as ProvisionStep);
    finished = at === -1 ? 0 : at;
  } else finished = 0; // pending, or a removal that stopped half-way: start over
  let firstToRun = PROVISION_STEPS.findIndex((step, index) => index >= finished || !recorded(step, identity));
  if (firstToRun === -1) firstToRun = PROVISION_STEPS.length;
  return PROVISION_STEPS.map((step, index) => {
    if (index >= firstToRun) {
      const reason = index === firstToRun && index < finished ? "recorded ids missing" : index < finished ? "follows a step that re-runs" : "not done yet";
      return { step, run: true, reason };
    }
    return { step, run: false, reason: "done" };
  });
}
