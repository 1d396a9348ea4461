import crypto from "node:crypto";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/dal";
import { can, type Permission } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { createAuditEntry, type AuditInput } from "@/lib/db/queries/audit";
import { redactSecrets } from "@/lib/redact";
import { ActionError, type ActionResult } from "./errors";
import { invalidInputMessage } from "./form-message";
import { MAX_ROW_ID } from "@/lib/domain/paging";

export type ActionContext = {
  db: Db;
  user: SessionUser;
  ip: string;
  /** Writes the audit row for this action, attributed to the signed-in user. */
  audit: (entry: AuditInput) => Promise<void>;
};

export type ActionDeps = {
  getUser: () => Promise<SessionUser | null>;
  getDb: () => Promise<Db>;
  getIp: () => Promise<string>;
};

export type ActionDefinition<S extends z.ZodType, T> = {
  name: string;
  input: S;
  permission: Permission;
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>;
  /** Labels for this form's field keys where the shared ones (lib/actions/form-message.ts) do not fit. */
  labels?: Record<string, string>;
};

/** What a public action (signing in or out) gets: the user only if there is a session. */
export type PublicActionContext = Omit<ActionContext, "user"> & { user: SessionUser | null };

/** An action anyone may call, signed in or not: only signing in and out are. */
export type PublicActionDefinition<S extends z.ZodType, T> = {
  name: string;
  input: S;
  permission: "public";
  handler: (input: z.output<S>, ctx: PublicActionContext) => Promise<T>;
  /** Field labels for the "Check the form" message, where the key is not self-explanatory. */
  labels?: Record<string, string>;
};

export type AnyActionDefinition<S extends z.ZodType, T> = ActionDefinition<S, T> | PublicActionDefinition<S, T>;

/**
 * Declares an action in `lib/<feature>/actions.ts` (types the handler from the input schema);
 * the route's `"use server"` file wraps it with `defineAction` / `defineFormAction`.
 */
export function actionDefinition<S extends z.ZodType, T>(def: ActionDefinition<S, T>): ActionDefinition<S, T> {
  return def;
}

/** The same for the public actions (sign in, sign out). */
export function publicActionDefinition<S extends z.ZodType, T>(def: PublicActionDefinition<S, T>): PublicActionDefinition<S, T> {
  return def;
}

const PERMISSION_MESSAGES: Partial<Record<Permission, string>> = {
  "users.grant_roles": "Only a superuser can do this.",
  "ldap.manage": "Only a superuser can add, change or delete an LDAP directory (its bind password is a secret like a cloud credential).",
};

/** FormData → plain object; repeated keys become arrays, so multi-selects survive. */
export function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = form.getAll(key).map((v) => (typeof v === "string" ? v : v));
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Runs one action: parse input → signed-in user → permission → handler, and turns every
 * expected failure into a returned result (production Next hides thrown messages).
 */
export async function runAction<S extends z.ZodType, T>(
  deps: ActionDeps,
  def: AnyActionDefinition<S, T>,
  raw: unknown,
): Promise<ActionResult<T>> {
  const user = await deps.getUser();
  if (def.permission === "public") return execute(deps, def, raw, user);
  if (!user) {
    return { ok: false, error: { code: "unauthenticated", message: "Your session has ended. Sign in again." } };
  }
  // A password someone else set must be replaced before the console does anything else.
  if (user.mustChangePassword && def.permission !== "self.update") {
    return { ok: false, error: { code: "forbidden", message: "Choose a new password first (you are asked to at sign-in)." } };
  }
  if (!can(user, def.permission)) {
    return {
      ok: false,
      error: {
        code: "forbidden",
        message:
          PERMISSION_MESSAGES[def.permission] ??
          "You need staff access to the Cloudport console for this. Ask a superuser to grant it.",
      },
    };
  }
  return execute(deps, def, raw, user);
}

/**
 * Row ids are Postgres integers: an id field (providerId, identityIds, …) past their range can
 * name nothing, and would reach the database as an error about numbers rather than "not found".
 */
function hasIdOutOfRange(value: unknown, key = "", depth = 0): boolean {
  if (depth > 6) return false;
  if (typeof value === "number") return /(^id|Id|Ids)$/.test(key) && Number.isFinite(value) && Math.abs(value) > MAX_ROW_ID;
  if (Array.isArray(value)) return value.some((v) => hasIdOutOfRange(v, key, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.entries(value).some(([k, v]) => hasIdOutOfRange(v, k, depth + 1));
  }
  return false;
}

async function execute<S extends z.ZodType, T>(
  deps: ActionDeps,
  def: AnyActionDefinition<S, T>,
  raw: unknown,
  user: SessionUser | null,
): Promise<ActionResult<T>> {
  const parsed = def.input.safeParse(raw instanceof FormData ? formDataToObject(raw) : raw);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return {
      ok: false,
      error: { code: "invalid_input", message: invalidInputMessage(parsed.error.issues, def.labels), fieldErrors },
    };
  }
  if (hasIdOutOfRange(parsed.data)) {
    return { ok: false, error: { code: "not_found", message: "This link or form names something that does not exist (an id out of range): reload the page." } };
  }
  const db = await deps.getDb();
  const ip = await deps.getIp();
  const ctx: PublicActionContext = {
    db,
    user,
    ip,
    audit: (entry) =>
      createAuditEntry(db, user ? { id: user.id, username: user.username } : { id: null, username: "" }, { ip, ...entry }),
  };
  try {
    const data =
      def.permission === "public"
        ? await def.handler(parsed.data, ctx)
        : await def.handler(parsed.data, { ...ctx, user: user as SessionUser });
    return { ok: true, data };
  } catch (error) {
    if (error instanceof ActionError) {
      return { ok: false, error: { code: error.code, message: error.message, fieldErrors: error.fieldErrors } };
    }
    // Rethrow Next's control-flow signals (redirect/notFound) untouched.
    if (error && typeof error === "object" && "digest" in error && /^NEXT_/.test(String(error.digest))) throw error;
    const ref = crypto.randomBytes(4).toString("hex");
    console.error(`[action ${def.name}] failed (ref ${ref}): ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    return {
      ok: false,
      error: { code: "internal", message: `Something went wrong on the server (ref ${ref}). The server log has the details.` },
    };
  }
}

type Parts<D> =
  D extends ActionDefinition<infer S, infer T> ? [S, T] : D extends PublicActionDefinition<infer S, infer T> ? [S, T] : never;

/** The server action `defineAction(def)` makes: the type a component takes it as, in a prop. */
export type ActionOf<D> = (input: z.input<Parts<D>[0]> | FormData) => Promise<ActionResult<Parts<D>[1]>>;

/** The server action `defineFormAction(def)` makes, for `useActionState`. */
export type FormActionOf<D> = (prev: ActionResult<Parts<D>[1]> | null, form: FormData) => Promise<ActionResult<Parts<D>[1]>>;
