import { Badge } from "@/components/ui/badge";

const TONE = {
  pending: "neutral",
  provisioning: "info",
  active: "success",
  failed: "danger",
  removing: "warning",
  removed: "neutral",
} as const;

export type AccountStateName = keyof typeof TONE;

/** An account's state as a coloured label. */
export function AccountStateBadge({ state }: { state: AccountStateName }) {
  return <Badge tone={TONE[state]}>{state}</Badge>;
}

const USER_TONE = { queued: "neutral", running: "info", done: "success", failed: "danger" } as const;

/** One user's status inside a running job. */
export function UserStatusBadge({ status }: { status: keyof typeof USER_TONE }) {
  return <Badge tone={USER_TONE[status]}>{status}</Badge>;
}
