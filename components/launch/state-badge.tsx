import { Badge } from "@/components/ui/badge";
import { plural } from "@/lib/domain/format";

const TONE: Record<string, "neutral" | "info" | "success" | "danger" | "warning"> = {
  queued: "neutral",
  running: "info",
  passed: "success",
  failed: "danger",
  cancelled: "warning",
};

/** A run's state; "passed" with warnings reads as such. */
export function RunStateBadge({ state, warnings }: { state: string; warnings?: number }) {
  const label = state === "passed" && warnings ? `passed · ${plural(warnings, "warning")}` : state;
  return (
    <Badge tone={state === "passed" && warnings ? "warning" : (TONE[state] ?? "neutral")} data-state={state}>
      {label}
    </Badge>
  );
}
