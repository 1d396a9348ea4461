// Text for counts and sizes, shared by every page, job message and generated file (pure).

const IRREGULAR: Record<string, string> = {
  address: "addresses",
  identity: "identities",
  "IP address": "IP addresses",
  match: "matches",
  was: "were",
};

/**
 * A count with its noun in the right number: plural(1, "instance") → "1 instance",
 * plural(2_500, "image") → "2,500 images". Give the plural when it is not the noun plus "s".
 */
export function plural(n: number, singular: string, pluralForm?: string): string {
  const many = pluralForm ?? IRREGULAR[singular] ?? `${singular}s`;
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : many}`;
}

/**
 * Progress through a count: ofTotal(1, 1, "account") → "1 of 1 account", with ", 2 failed"
 * when some failed: ofTotal(3, 10, "account", 2) → "3 of 10 accounts, 2 failed".
 */
export function ofTotal(done: number, total: number, singular: string, failed = 0): string {
  return `${done.toLocaleString("en-US")} of ${plural(total, singular)}${failed ? `, ${failed.toLocaleString("en-US")} failed` : ""}`;
}

/**
 * Bytes in binary units: "0 B", "512 B", "1.5 KiB", "20.4 MiB", "200 GiB" (one decimal below
 * 100), "—" when unknown. Small images read as MiB, never "0.00 GB".
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * The message for a value longer than a field allows (forms never cut it silently with
 * `maxlength`): tooLong("Usernames", 150, 300) → "Usernames are at most 150 characters; this one has 300".
 */
export function tooLong(what: string, max: number, actual: number): string {
  return `${what} are at most ${max.toLocaleString("en-US")} characters; this one has ${actual.toLocaleString("en-US")}`;
}
