export default function Loading() {
  return (
    <div role="status" className="grid gap-2 py-8">
      <p className="text-sm text-slate-600">Reading the provider&apos;s routers, external networks, roles and domains from the cloud…</p>
      <div className="h-1.5 max-w-md overflow-hidden rounded bg-slate-100">
        <div className="h-full w-1/3 animate-pulse rounded bg-brand-500" />
      </div>
    </div>
  );
}
