// Shapes stored in launch_tests (choices, timeline, report). Pure types and constants, safe in
// client components.

export const LAUNCH_KINDS = ["launch", "readiness"] as const;
export type LaunchKind = (typeof LAUNCH_KINDS)[number];

/** launch_tests.state */
export const RUN_STATES = ["queued", "running", "passed", "failed", "cancelled"] as const;
export type RunState = (typeof RUN_STATES)[number];
export const isLiveState = (s: string) => s === "queued" || s === "running";

export type CleanupMode = "auto" | "manual";

/** What the operator chose; enough to repeat the run. */
export type LaunchChoices = {
  identityId: number;
  /** Portal username of the identity's owner (also its OpenStack user name), kept for display. */
  username?: string;
  projectName?: string;
  imageId: string;
  imageName?: string;
  flavorId: string;
  flavorName?: string;
  networkId: string;
  networkName?: string;
  publicKey?: string;
  userData?: string;
  cleanup: CleanupMode;
  /** How long to keep trying TCP 22 once the server is ACTIVE. */
  sshWaitSeconds: number;
};

export type StepStatus = "running" | "pass" | "warn" | "fail" | "skip";
export type StepGroup = "setup" | "server" | "network" | "checks" | "volume" | "cleanup";

/** One entry of launch_tests.timeline: a step or a server status/task-state phase. */
export type Step = {
  id: string;
  group: StepGroup;
  label: string;
  status: StepStatus;
  startedAt: string;
  endedAt: string | null;
  /** The result, or OpenStack's own message on failure. */
  message?: string;
  /** What a failure usually means and what to do about it. */
  explanation?: string;
  /** For server phases: the observed status and task state. */
  serverStatus?: string;
  taskState?: string | null;
};

export type CheckResult = { status: "pass" | "warn" | "skip"; message: string };

export type CreatedResources = {
  serverId?: string;
  serverName?: string;
  /** Set once a boot request was sent, so a crash before the answer still gets looked for. */
  bootRequested?: boolean;
  floatingIpId?: string;
  floatingIp?: string;
  /** Set before the allocate request, so a lost answer is still looked for (by description). */
  floatingIpRequested?: boolean;
  keypairName?: string;
  volumeId?: string;
  /** Set before the create request, so a lost answer is still looked for (by name). */
  volumeRequested?: boolean;
};

export type CleanupState = "not_needed" | "pending" | "running" | "done" | "partial";

/** launch_tests.report */
export type LaunchReport = {
  fault?: { code: number | null; message: string; explanation: string | null };
  activeAfterMs?: number;
  hostname?: string;
  dns?: CheckResult;
  ssh?: CheckResult;
  warnings?: number;
  resources?: CreatedResources;
  cleanup?: { state: CleanupState; at?: string; leftBehind?: string[]; message?: string };
  /** Block storage present in the catalog (readiness). */
  blockStorage?: boolean;
};
