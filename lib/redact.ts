// Patterns for secrets that can turn up inside error messages from drivers and APIs.
const PATTERNS: Array<[RegExp, string]> = [
  [/("?(?:password|secret|token|passwd|credential)[a-z_]*"?\s*[:=]\s*)"[^"]*"/gi, '$1"[redacted]"'],
  [/('?(?:password|secret|token|passwd|credential)[a-z_]*'?\s*[:=]\s*)'[^']*'/gi, "$1'[redacted]'"],
  [/((?:password|secret|token|passwd|credential)[a-z_]*\s*[:=]\s*)(?!["'[])[^\s,;&}]+/gi, "$1[redacted]"],
  [/(x-(?:auth|subject)-token\s*[:=]\s*)\S+/gi, "$1[redacted]"],
  [/(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/gi, "$1[redacted]@"],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, "$1[redacted]"],
];

/** Removes passwords, tokens and secrets from a message before it is logged or shown. */
export function redactSecrets(message: string, known: Array<string | undefined | null> = []): string {
  let out = message;
  for (const value of known) if (value && value.length >= 4) out = out.split(value).join("[redacted]");
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}
