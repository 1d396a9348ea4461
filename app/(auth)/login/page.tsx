import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ssoEnabled } from "@/lib/auth";
import { getSessionUser } from "@/lib/auth/dal";
import { env } from "@/lib/env";
import { safeNextPath } from "@/lib/domain/safe-next";
import { Button } from "@/components/ui/button";
import { PRIVILEGED_EMAIL_MESSAGE } from "@/lib/auth/sso";
import { loginWithSso } from "./actions";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  const { next, error } = await searchParams;
  if (await getSessionUser()) redirect(safeNextPath(next));
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-900 via-slate-800 to-brand-700 p-6">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-xl">
        <div className="mb-6">
          <p className="text-xs font-semibold uppercase tracking-widest text-brand-600">Cloudport</p>
          <h1 className="mt-1 text-xl font-semibold text-slate-900">Sign in to the operator console</h1>
        </div>
        {error === "SsoPrivilegedEmail" ? (
          <p className="mb-4 text-sm text-red-700" role="alert">
            {PRIVILEGED_EMAIL_MESSAGE}
          </p>
        ) : error && error !== "CredentialsSignin" ? (
          <p className="mb-4 text-sm text-red-700" role="alert">
            Single sign-on did not complete ({error}). Try again or use your console password.
          </p>
        ) : null}
        <LoginForm next={next} />
        {ssoEnabled() ? (
          <form action={loginWithSso} className="mt-4 border-t border-slate-100 pt-4">
            <input type="hidden" name="next" value={next ?? ""} />
            <Button type="submit" variant="secondary" className="w-full">
              Sign in with {env().AUTH_OIDC_NAME ?? "single sign-on"}
            </Button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
