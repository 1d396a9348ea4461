import { z } from "zod";
import { passwordProblem } from "@/lib/auth/password";
import { tooLong } from "@/lib/domain/format";

// Input rules for staff user management. Pure (no I/O): the actions parse forms with these and
// lib/users/manage.ts parses again, so a caller that skips the action still cannot store bad data.

export const USERNAME_MAX = 150;

const lengthOf = (v: unknown) => (typeof v === "string" ? v.length : 0);

/** Atmosphere usernames: letters, digits and . _ -, 1–150 characters. */
export const usernameSchema = z
  .string({ error: "Enter a username." })
  .trim()
  .min(1, "Enter a username.")
  .max(USERNAME_MAX, { error: (issue) => `${tooLong("Usernames", USERNAME_MAX, lengthOf(issue.input))}.` })
  .regex(/^[A-Za-z0-9._-]+$/, "Use only letters, digits and the characters . _ - (no spaces).");

// Forms send "" for an untouched field; that means "not given", not "set to empty".
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const emailSchema = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(254, { error: (issue) => `${tooLong("Email addresses", 254, lengthOf(issue.input))}.` })
    .pipe(z.email("Enter a valid email address, or leave it empty."))
    .optional(),
);

export const displayNameSchema = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(200, { error: (issue) => `${tooLong("Names", 200, lengthOf(issue.input))}.` })
    .optional(),
);

/** How a password is chosen: generated (shown once), typed by staff, or none (SSO only). */
export const passwordModeSchema = z.enum(["generate", "set", "none"], { error: "Choose how to set the password." });
export type PasswordMode = z.infer<typeof passwordModeSchema>;

const passwordText = z.preprocess(blankToUndefined, z.string().max(200, "Use at most 200 characters.").optional());

/**
 * Checks a typed password against the strength rules and its repetition; `username` keeps it
 * from containing the username.
 */
function checkTypedPassword(
  v: { passwordMode: PasswordMode; password?: string; confirmPassword?: string },
  username: string | undefined,
  ctx: z.RefinementCtx,
) {
  if (v.passwordMode !== "set") return;
  if (!v.password) {
    ctx.addIssue({ code: "custom", path: ["password"], message: "Type a password, or choose to generate one." });
    return;
  }
  const problem = passwordProblem(v.password, username);
  if (problem) {
    ctx.addIssue({ code: "custom", path: ["password"], message: problem });
    return;
  }
  if (v.confirmPassword !== undefined && v.confirmPassword !== v.password) {
    ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The two passwords differ." });
  }
}

export const createUserSchema = z
  .object({
    username: usernameSchema,
    email: emailSchema,
    displayName: displayNameSchema,
    passwordMode: passwordModeSchema.default("generate"),
    password: passwordText,
    confirmPassword: passwordText,
  })
  .superRefine((v, ctx) => checkTypedPassword(v, v.username, ctx));
export type CreateUserInput = z.input<typeof createUserSchema>;

export const userIdSchema = z.coerce
  .number({ error: "This user link is broken." })
  .int("This user link is broken.")
  .positive("This user link is broken.");

/**
 * Setting a password from the staff screen: generated or typed, never "none" (removing a
 * password is deactivation's job). `username` is not part of the form; the server adds it so
 * the typed password can be checked against it.
 */
export const setPasswordSchema = z.object({
  userId: userIdSchema,
  passwordMode: z.enum(["generate", "set"], { error: "Choose how to set the password." }).default("generate"),
  password: passwordText,
  confirmPassword: passwordText,
});
export type SetPasswordInput = z.input<typeof setPasswordSchema>;

/** The strength rules for a typed password of an existing user, as field errors (or null). */
export function setPasswordProblems(
  input: z.output<typeof setPasswordSchema>,
  username: string,
): Record<string, string[]> | null {
  const result = z
    .object({ passwordMode: passwordModeSchema, password: z.string().optional(), confirmPassword: z.string().optional() })
    .superRefine((v, ctx) => checkTypedPassword(v, username, ctx))
    .safeParse(input);
  return result.success ? null : fieldErrorsOf(result.error);
}

const bool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const setActiveSchema = z.object({ userId: userIdSchema, active: bool });
export type SetActiveInput = z.input<typeof setActiveSchema>;

export const ROLES = ["staff", "superuser"] as const;
export type UserRole = (typeof ROLES)[number];

export const setRoleSchema = z.object({
  userId: userIdSchema,
  role: z.enum(ROLES, { error: "Choose staff or superuser." }),
  grant: bool,
});
export type SetRoleInput = z.input<typeof setRoleSchema>;

/** Filters of the user list, read from the URL (?q=&role=&status=&page=); junk falls back to defaults. */
export const userListParamsSchema = z.object({
  q: z.preprocess((v) => (typeof v === "string" ? v.trim().slice(0, 200) || undefined : undefined), z.string().optional()),
  role: z.enum(["staff", "superuser", "none"]).optional().catch(undefined),
  status: z.enum(["active", "inactive"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type UserListParams = z.output<typeof userListParamsSchema>;

/** Zod issues → `{field: [messages]}`, the shape forms show next to each input. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
