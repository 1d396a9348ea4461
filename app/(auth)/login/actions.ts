"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";
import { retryIn } from "@/lib/auth/throttle";

/** What a throttled person reads: when they may try again, and that it is not a lock. */
function throttledMessage(seconds: number): string {
  const at = new Date(Date.now() + seconds * 1000);
  return `Too many failed sign-in attempts. Try again ${retryIn(at)} (after ${at.toISOString().slice(11, 16)} UTC); each further failure doubles the wait.`;
}

export type LoginState = { error?: string; username?: string } | null;

/** Only same-site paths may be a post-login target, never another origin. */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === "string" ? value : "";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/providers";
}

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
      const wait = /^throttled_(\d+)$/.exec(code ?? "");
      if (wait) return { username, error: throttledMessage(Number(wait[1])) };
      return { username, error: "That username and password do not match an active account." };
    }
    throw error;
  }
}

export async function loginWithSso(form: FormData) {
  await signIn("oidc", { redirectTo: safeNext(form.get("next")) });
}
