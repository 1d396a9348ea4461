import { OpenStackLookupError } from "./errors";

/** The single item with this name, null when none; several are an error (names are not unique). */
export function onlyOne<T>(items: T[], what: string, name: string, narrowBy?: string): T | null {
  if (items.length <= 1) return items[0] ?? null;
  const narrow = narrowBy ? `; narrow it by ${narrowBy}` : "";
  throw new OpenStackLookupError(`${items.length} ${what}s are named "${name}"${narrow}`);
}

/** Encodes one path segment (ids are opaque strings; names of keypairs may hold anything). */
export const seg = (value: string) => encodeURIComponent(value);
