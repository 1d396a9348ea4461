import { ipToNumber, numberToIp } from "@/lib/domain/ipv4";

/** Where user subnets come from (PRODUCT.md: a /24 inside 172.16.0.0/12). */
export const USER_SUBNET_POOL = "172.16.0.0/12";
export const USER_SUBNET_PREFIX = 24;

type Range = { start: number; size: number };

/** An IPv4 CIDR as its first address and size, the address masked to the prefix; null if not IPv4 CIDR. */
export function parseCidr(cidr: string): Range | null {
  const m = /^\s*([\d.]+)\/(\d{1,2})\s*$/.exec(cidr);
  if (!m) return null;
  const prefix = Number(m[2]);
  if (prefix > 32) return null;
  let ip: number;
  try {
    ip = ipToNumber(m[1]);
  } catch {
    return null;
  }
  const size = 2 ** (32 - prefix);
  return { start: Math.floor(ip / size) * size, size };
}

export function formatCidr(start: number, prefix: number): string {
  return `${numberToIp(start)}/${prefix}`;
}

/** Whether two IPv4 CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.start < y.start + y.size && y.start < x.start + x.size;
}

export type SubnetChoiceOptions = {
  /** Default 172.16.0.0/12. */
  pool?: string;
  /** Default 24. */
  prefix?: number;
  /** Tried first (e.g. the CIDR an identity had before its network was deleted). */
  preferred?: string | null;
};

/**
 * The first /24 of the pool (lowest address first) that overlaps none of `taken`, or null when
 * the pool is exhausted. IPv6 and malformed entries in `taken` are ignored; host bits are masked.
 */
export function chooseSubnetCidr(taken: Iterable<string>, options: SubnetChoiceOptions = {}): string | null {
  const pool = parseCidr(options.pool ?? USER_SUBNET_POOL);
  if (!pool) throw new Error(`${options.pool} is not an IPv4 CIDR.`);
  const prefix = options.prefix ?? USER_SUBNET_PREFIX;
  const size = 2 ** (32 - prefix);
  if (!Number.isInteger(prefix) || prefix > 32 || size > pool.size) {
    throw new Error(`A /${prefix} does not fit in ${options.pool ?? USER_SUBNET_POOL}.`);
  }
  const slots = pool.size / size;
  // One flag per candidate slot: each taken range blocks the slots it touches, so the cost is
  // linear in the number of subnets however they are spread.
  const blocked = new Uint8Array(slots);
  const poolEnd = pool.start + pool.size;
  for (const cidr of taken) {
    const r = parseCidr(cidr);
    if (!r) continue;
    const from = Math.max(r.start, pool.start);
    const to = Math.min(r.start + r.size, poolEnd);
    if (from >= to) continue;
    const first = Math.floor((from - pool.start) / size);
    const last = Math.floor((to - 1 - pool.start) / size);
    blocked.fill(1, first, last + 1);
  }
  const preferred = options.preferred ? parseCidr(options.preferred) : null;
  if (preferred && preferred.size === size && preferred.start >= pool.start && preferred.start + size <= poolEnd) {
    const slot = (preferred.start - pool.start) / size;
    if (!blocked[slot]) return formatCidr(preferred.start, prefix);
  }
  const free = blocked.indexOf(0);
  return free === -1 ? null : formatCidr(pool.start + free * size, prefix);
}
