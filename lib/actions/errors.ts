/** Codes for failures a person can act on; anything else is an internal error. */
export type ActionErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "upstream"
  | "internal"
  // The action needs a sign-in from the last 10 minutes (lib/auth/fresh.ts).
  | "reauth_required";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ActionErrorCode; message: string; fieldErrors?: Record<string, string[]> } };

/** Thrown by handlers for expected failures; the builder turns it into a returned result. */
export class ActionError extends Error {
  constructor(
    readonly code: ActionErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "ActionError";
  }
}
