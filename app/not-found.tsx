import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600">The address may be mistyped, or what it pointed to was removed.</p>
        <Link href="/providers" className="mt-6 inline-block text-sm font-medium text-brand-600 hover:underline">
          Back to providers
        </Link>
      </div>
    </main>
  );
}
