import Link from "next/link";
import { redirect } from "next/navigation";
import { MobileNav } from "@/components/layout/mobile-nav";
import { BrandIcon, Nav } from "@/components/layout/nav";
import { UserMenu } from "@/components/layout/user-menu";
import { CHOOSE_PASSWORD_PATH, getSessionUser } from "@/lib/auth/dal";
import { roleOf } from "@/lib/auth/permissions";
import { QueryProvider } from "../query-provider";
import { SessionActionsProvider } from "@/components/auth/session-actions-context";
import { confirmFreshAuth, logout, reauthenticate, signOutEverywhere } from "./actions";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // Pages check their own permission too; this only decides what chrome to draw.
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (user.mustChangePassword) redirect(CHOOSE_PASSWORD_PATH);
  if (roleOf(user) === "none") redirect("/no-access");
  return (
    <QueryProvider>
      <SessionActionsProvider actions={{ reauthenticate, confirmFreshAuth, signOutEverywhere }}>
      <div className="flex min-h-screen">
        <aside className="hidden w-60 shrink-0 flex-col bg-slate-900 px-3 py-5 md:flex">
          <Link href="/providers" className="mb-6 flex items-center gap-2 px-3 text-white">
            <BrandIcon aria-hidden className="h-5 w-5 text-brand-500" />
            <span className="text-lg font-semibold tracking-tight">Cloudport</span>
          </Link>
          <Nav />
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-14 items-center justify-between gap-2 border-b border-slate-200 bg-white px-4 sm:px-6">
            <div className="flex items-center gap-2 md:hidden">
              <MobileNav />
              <Link href="/providers" className="font-semibold">
                Cloudport
              </Link>
            </div>
            <div className="ml-auto">
              <UserMenu username={user.username} role={user.isSuperuser ? "superuser" : "staff"} logout={logout} />
            </div>
          </header>
          <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6">
            {children}
          </main>
        </div>
      </div>
      </SessionActionsProvider>
    </QueryProvider>
  );
}
