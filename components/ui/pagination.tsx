import Link from "next/link";
import { cn } from "@/lib/utils";
import { formatCount } from "@/lib/domain/format";

/** Prev/next links that keep the other query parameters; pages are server-rendered. */
export function Pagination({
  page,
  pageSize,
  total,
  basePath,
  params,
  pageParam = "page",
  label = "Pagination",
}: {
  page: number;
  pageSize: number;
  total: number;
  basePath: string;
  params: Record<string, string | undefined>;
  /** The query parameter holding the page, for a page with several paged tables. */
  pageParam?: string;
  label?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    if (p > 1) q.set(pageParam, String(p));
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  const link = (p: number, label: string, disabled: boolean) =>
    disabled ? (
      <span className="rounded-md px-3 py-1.5 text-slate-400" aria-disabled="true">
        {label}
      </span>
    ) : (
      <Link href={href(p)} className={cn("rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50")}>
        {label}
      </Link>
    );
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-4 px-4 py-3 text-sm text-slate-600">
      <p>
        {from}–{to} of {formatCount(total)}
      </p>
      <div className="flex items-center gap-2">
        {link(page - 1, "Previous", page <= 1)}
        <span>
          Page {page} of {pages}
        </span>
        {link(page + 1, "Next", page >= pages)}
      </div>
    </nav>
  );
}
