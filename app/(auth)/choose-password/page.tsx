import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PasswordForm } from "@/app/(console)/account/password-form";
import { getSessionUser } from "@/lib/auth/dal";

export const metadata: Metadata = { title: "Choose a new password" };

/**
 * Where a user whose password someone else set (a reset, or staff granted onto it) lands after
 * signing in: nothing else in the console works until they choose their own.
 */
export default async function ChoosePasswordPage() {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (!user.mustChangePassword) redirect("/providers");
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-900 via-slate-800 to-brand-700 p-6">
      <div className="w-full max-w-md rounded-xl bg-white p-8 shadow-xl">
        <div className="mb-6">
          <p className="text-xs font-semibold uppercase tracking-widest text-brand-600">Cloudport</p>
          <h1 className="mt-1 text-xl font-semibold text-slate-900">Choose a new password</h1>
          <p className="mt-2 text-sm text-slate-600">
            Your password was set by someone else. Choose your own before you continue, {user.username}: type the one you were given,
            then a new one.
          </p>
        </div>
        <PasswordForm then="/providers" />
      </div>
    </main>
  );
}
