import crypto from "node:crypto";
import { redactSecrets } from "@/lib/redact";

const MAX_ERROR_CHARS = 1000;

/**
 * What a failed job's page says. The database driver's errors read "Failed query: <the SQL>
 * params: <every value>", which is no reason and can run to hundreds of KB: the database's own
 * reason is said instead (the statement goes to the server log, under a reference). Secrets are
 * redacted and the text is kept short.
 */
export function jobErrorMessage(error: unknown, kind = "job"): string {
  const message = error instanceof Error ? error.message : String(error);
  let text = message;
  if (/^Failed query: /.test(message)) {
    const cause = (error as { cause?: unknown }).cause;
    const reason = cause instanceof Error ? cause.message : "the database refused a statement";
    const ref = crypto.randomUUID().slice(0, 8);
    console.error(`[jobs] ${kind} failed (ref ${ref}): ${redactSecrets(message).slice(0, 20_000)}`);
    text = `The database refused a write: ${reason} (server log ref ${ref}).`;
  }
  text = redactSecrets(text);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
