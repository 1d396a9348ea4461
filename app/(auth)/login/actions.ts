"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";
import { safeNextPath } from "@/lib/domain/safe-next";

export type LoginState = { error?: string; username?: string } | null;

/** Only same-site paths may be a post-login target, never another origin (lib/domain/safe-next). */
const safeNext = (value: FormDataEntryValue | null) => safeNextPath(value);

export async function login(_prev: LoginState, form: FormData): Promise<LoginState> {
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!username || !password) return { error: "Enter your username and password.", username };
  try {
    await signIn("credentials", { username, password, redirectTo: safeNext(form.get("next")) });
    return null;
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as { code?: string }).code;
      if (code === "locked") {
        return {
          username,
          error: "Too many failed attempts. Wait 15 minutes and try again, or ask a superuser to reset your password.",
        };
      }
      return { username, error: "That username and password do not match an active account." };
    }
    throw error;
  }
}

export async function loginWithSso(form: FormData) {
  await signIn("oidc", { redirectTo: safeNext(form.get("next")) });
}
