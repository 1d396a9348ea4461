/**
 * Secrets must never reach a log line or an error message shown to an operator: error bodies
 * sometimes echo the request (including the password), and proxies echo headers.
 */
const MASK = "***";

// Keys whose values are secret, in JSON ("password": "x") and in the Python reprs that
// validation errors echo ('password': 'x').
const SECRET_KEY =
  /((["'])(?:password|secret|token|adminPass|admin_pass|private_key|X-(?:Auth|Subject)-Token)\2\s*:\s*(["']))((?:(?!\3)[^\\]|\\.)*)(\3)/gi;
const SECRET_HEADER = /\b(X-(?:Auth|Subject)-Token\s*[:=]\s*)([^\s,;"']+)/gi;

/** Collects the secret strings one client knows about and masks them in any text. */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Remembers a secret (password, application-credential secret, token) so it is masked later. */
  add(secret: string | undefined | null): void {
    // Very short values would mask innocent substrings everywhere; they are caught by the key rules.
    if (secret && secret.length >= 4) this.#secrets.add(secret);
  }

  /** Returns the text with every known secret and every secret-looking key or header masked. */
  redact(text: string): string {
    let out = text.replace(SECRET_KEY, `$1${MASK}$5`).replace(SECRET_HEADER, `$1${MASK}`);
    for (const secret of this.#secrets) out = out.split(secret).join(MASK);
    return out;
  }
}
