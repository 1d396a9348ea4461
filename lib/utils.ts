import { clsx, type ClassValue } from "clsx";

/**
 * Joins class names. No merging: the primitives' own classes are in the components layer
 * (app/globals.css), so any utility a caller passes wins over them, and a component never
 * passes two utilities of one property (use a ternary, not `base && override`).
 */
export function cn(...inputs: ClassValue[]) {
  return clsx(inputs);
}

/** Formats a date for tables: UTC, to the minute, so every operator reads the same time. */
export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const date = typeof d === "string" ? new Date(d) : d;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
