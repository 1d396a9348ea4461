/** IPv4 dotted quad → 32-bit number; throws on anything else. */
export function ipToNumber(ip: string): number {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`${ip} is not an IPv4 address.`);
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export type Pool = { start: string; end: string };

/** How many addresses the pools hold (IPv6 pools are skipped). */
export function poolSize(pools: Pool[]): number {
  return pools.filter((p) => !p.start.includes(":")).reduce((n, p) => n + ipToNumber(p.end) - ipToNumber(p.start) + 1, 0);
}

/** Every address of the IPv4 pools, in order. */
export function* poolAddresses(pools: Pool[]): Generator<string> {
  for (const p of pools) {
    if (p.start.includes(":")) continue;
    for (let n = ipToNumber(p.start); n <= ipToNumber(p.end); n++) yield numberToIp(n);
  }
}

/** The first, middle and last address of the pools, for a preview. */
export function poolSample(pools: Pool[]): string[] {
  const total = poolSize(pools);
  if (total === 0) return [];
  const wanted = [...new Set([0, Math.floor((total - 1) / 2), total - 1])];
  const out: string[] = [];
  let i = 0;
  for (const ip of poolAddresses(pools)) {
    if (wanted.includes(i)) out.push(ip);
    if (++i > wanted[wanted.length - 1]) break;
  }
  return out;
}
