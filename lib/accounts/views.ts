import type { AccountRow } from "./queries";

/** An account row for client components: plain values only. */
export type AccountView = {
  id: number;
  username: string;
  projectName: string;
  state: AccountRow["state"];
  lastStep: string | null;
  lastError: string | null;
  projectId: string | null;
  openstackUserId: string | null;
  networkId: string | null;
  subnetId: string | null;
  subnetCidr: string | null;
  routerId: string | null;
  routerOwned: boolean;
  /** When a superuser adopted a project or user Cloudport did not create. */
  adoptedAt: string | null;
  /** The last run refused a project or user Cloudport did not create: a superuser may adopt it. */
  adoptable: boolean;
  updatedAt: string;
  endDate: string | null;
};

export function accountView(r: AccountRow): AccountView {
  return {
    id: r.id,
    username: r.username,
    projectName: r.projectName,
    state: r.state,
    lastStep: r.lastStep,
    lastError: r.lastError,
    projectId: r.projectId,
    openstackUserId: r.openstackUserId,
    networkId: r.networkId,
    subnetId: r.subnetId,
    subnetCidr: r.subnetCidr,
    routerId: r.routerId,
    routerOwned: r.routerOwned,
    adoptedAt: r.adoptedAt ? r.adoptedAt.toISOString() : null,
    adoptable: !r.endDate && !r.adoptedAt && r.state === "failed" && /was not created by Cloudport/.test(r.lastError ?? ""),
    updatedAt: r.updatedAt.toISOString(),
    endDate: r.endDate ? r.endDate.toISOString() : null,
  };
}
