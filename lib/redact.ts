// Patterns for secrets that can turn up inside error messages from drivers and APIs.
// A secret-looking key is any key that contains password/passwd/passphrase/secret/token/
// credential (case-insensitive; adminPass is Nova's server password), whole key included.
// A key starts where no key character precedes it, so each key is tried from its start only
// (a long run of letters costs one attempt, not one per letter: with a bare "*" on both sides a
// 100 KB message took seconds), and may run to 256 characters on either side of the keyword.
const KEY = String.raw`(?<![a-z0-9_-])[a-z0-9_-]{0,256}?(?:password|passwd|passphrase|adminpass|secret|token|credential)[a-z0-9_-]{0,256}`;

/** Longer messages are cut before redaction (and logging): nobody reads past this. */
const MAX_MESSAGE_CHARS = 100_000;

const PATTERNS: Array<[RegExp, string]> = [
  // JSON inside a JSON string: {\"password\":\"x\"} (any depth of escaping).
  // The value ends at a quote escaped exactly like the key's (a deeper-escaped quote is inside it).
  [new RegExp(String.raw`((?<!\\)(\\+)"${KEY}\2"\s*:\s*\2")[\s\S]*?((?<!\\)\2")`, "gi"), "$1[redacted]$3"],
  [new RegExp(String.raw`(["']?${KEY}["']?\s*[:=]\s*)"(?:[^"\\]|\\.)*"`, "gi"), '$1"[redacted]"'],
  [new RegExp(String.raw`('?${KEY}'?\s*[:=]\s*)'(?:[^'\\]|\\.)*'`, "gi"), "$1'[redacted]'"],
  // A non-string value after a secret key, quoted or not: "password": 123, "secret": [..], {..}.
  [new RegExp(String.raw`(["']?${KEY}["']?\s*[:=]\s*)\[[^\]]*\]`, "gi"), "$1[redacted]"],
  [new RegExp(String.raw`(["']?${KEY}["']?\s*[:=]\s*)\{[^{}]*\}`, "gi"), "$1[redacted]"],
  [new RegExp(String.raw`(["']?${KEY}["']?\s*[:=]\s*)(?!["'[\\]|\[redacted\])[^\s,;&}\]]+`, "gi"), "$1[redacted]"],
  [/(x-(?:auth|subject)-token\s*[:=]\s*)\S+/gi, "$1[redacted]"],
  // URL user-info: scheme://user:password@host. Drivers print passwords unencoded, so one may
  // hold "/" or "@": the user-info runs to the last "@" before the next whitespace.
  [/([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@]{1,256}:)\S{0,512}@/gi, "$1[redacted]@"],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, "$1[redacted]"],
];

/** Removes passwords, tokens and secrets from a message before it is logged or shown. */
export function redactSecrets(message: string, known: Array<string | undefined | null> = []): string {
  let out = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}… (cut)` : message;
  for (const value of known) if (value && value.length >= 4) out = out.split(value).join("[redacted]");
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}
