// Text for counts and sizes, shared by every page, job message and generated file (pure).

const IRREGULAR: Record<string, string> = {
  address: "addresses",
  identity: "identities",
  "IP address": "IP addresses",
  match: "matches",
  was: "were",
};

// One formatter each, made once: Number#toLocaleString builds a new one on every call, which
// cost a table page of numbers ~10 ms of server time.
const COUNT = new Intl.NumberFormat("en-US");
const AMOUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A whole count with grouped thousands: 12345 → "12,345". */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** A number as people read it: grouped thousands, at most two decimals. */
export function formatAmount(n: number): string {
  return AMOUNT.format(n);
}

/**
 * A count with its noun in the right number: plural(1, "instance") → "1 instance",
 * plural(2_500, "image") → "2,500 images". Give the plural when it is not the noun plus "s".
 */
export function plural(n: number, singular: string, pluralForm?: string): string {
  const many = pluralForm ?? IRREGULAR[singular] ?? `${singular}s`;
  return `${formatCount(n)} ${n === 1 ? singular : many}`;
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
  return `${what} are at most ${formatCount(max)} characters; this one has ${formatCount(actual)}`;
}
