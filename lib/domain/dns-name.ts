// Checks for text that ends up in generated files (Ansible hosts, group_vars, zone files, openrc):
// a hostname must be a DNS name, and no value may carry a line break into the file, where it
// would start a line of its own (an Ansible variable, a zone directive, a shell command).

/** The example every "not a DNS name" message shows. */
export const HOSTNAME_EXAMPLE = "vm%(four)s.cloud.example.org";
export const DNS_NAME_RULE = `Hostnames must be DNS names, e.g. ${HOSTNAME_EXAMPLE}`;

const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A value quoted for a message: escapes visible (a newline shows as \n), long values cut. */
export function quoteForMessage(value: string, max = 40): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

/**
 * What is wrong with a name as a DNS name (RFC 1123 labels: letters, digits and inner dashes,
 * 1–63 characters each, at most 253 in all; one trailing dot allowed), or null.
 */
export function dnsNameProblem(name: string): string | null {
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  if (!bare) return "it is empty";
  if (bare.length > 253) return "it is longer than 253 characters";
  const bad = bare.split(".").find((l) => !DNS_LABEL.test(l));
  if (bad !== undefined) {
    if (bad.length > 63) return `the label ${quoteForMessage(bad)} is longer than 63 characters`;
    return `the label ${quoteForMessage(bad)} is not 1–63 letters, digits or inner dashes`;
  }
  return null;
}

/** Thrown when a generated file would contain text that could change its meaning. */
export class UnsafeTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeTextError";
  }
}

// CR, LF, the other C0 controls, DEL, NEL and the Unicode line/paragraph separators.
const LINE_BREAK_OR_CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

/** Whether a value has a line break or another control character in it. */
export function hasLineBreakOrControl(value: string): boolean {
  return LINE_BREAK_OR_CONTROL.test(value);
}

/** Returns the value when it fits on one line of a generated file, else throws UnsafeTextError naming it. */
export function singleLine(value: string, what: string): string {
  if (hasLineBreakOrControl(value)) {
    throw new UnsafeTextError(`${what} ${quoteForMessage(value)} contains a line break or control character and cannot be written into a generated file.`);
  }
  return value;
}
