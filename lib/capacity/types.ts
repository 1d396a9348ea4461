// Shapes stored in capacity_snapshots' jsonb columns and passed to the pages (no I/O here).
import type { ClassTotal, GrantedQuota, HostCapacity } from "@/lib/domain/capacity";

/** Granted quota of the provider's account projects, as one source read it. */
export type QuotaReading = {
  /** Where the figures come from: today Nova's quota sets; later Cloudport's managed quotas. */
  source: "nova-quota-sets" | "managed";
  projects: number;
  read: number;
  failed: number;
  granted: GrantedQuota[];
  /** The first few failures, for the page (no secrets: status and message only). */
  errors: string[];
};

/** Users at or over 80 % / 100 % of their allocation, from the allocation module's ranking. */
export type AllocationWatch = {
  asOf: string;
  /** True when the ranking's limit was reached with users still over 80 %: the counts are lower bounds. */
  capped?: boolean;
  over80: number;
  over100: number;
  /** How many of the heaviest users were checked (the ranking's limit). */
  checked: number;
  top: Array<{ userId: number; username: string; percent: number }>;
};

export type SnapshotContent = {
  hosts: HostCapacity[];
  totals: ClassTotal[];
  quota: QuotaReading | null;
  allocation: AllocationWatch | null;
  error: string | null;
};
