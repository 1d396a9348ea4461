import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Button } from "@/components/ui/button";
import { getSessionUser } from "@/lib/auth/dal";
import { logout } from "./actions";

export const metadata: Metadata = { title: "No access" };

export default async function NoAccessPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const { need } = await searchParams;
  const superuserOnly = need === "users.grant_roles";
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">No access</h1>
        <p className="mt-3 text-sm text-slate-700">
          You are signed in as <strong>{user.username}</strong>, but{" "}
          {superuserOnly
            ? "this part of the console is for superusers only."
            : "the Cloudport console is for portal staff and your account is not staff."}{" "}
          Ask a superuser to grant you {superuserOnly ? "superuser" : "staff"} access, then sign in again.
        </p>
        <form action={logout} className="mt-6">
          <Button type="submit" variant="secondary">
            Sign out
          </Button>
        </form>
      </div>
    </main>
  );
}
