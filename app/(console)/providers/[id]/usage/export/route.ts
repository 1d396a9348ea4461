import { clientIp } from "@/lib/auth";
import { requireApi } from "@/lib/auth/api";
import { getDb } from "@/lib/db";
import { getProvider } from "@/lib/db/queries/providers";
import { parseDayRange, rangeDays } from "@/lib/domain/accounting";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { redactSecrets } from "@/lib/redact";
import { apelExport, asyncTextStream, invoiceCsvExport, jsonExport, siteOf } from "@/lib/accounting/service";

export const dynamic = "force-dynamic";

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

const FORMATS = {
  apel: { type: "text/plain; charset=utf-8", ext: "apel.txt" },
  csv: { type: "text/csv; charset=utf-8", ext: "invoice.csv" },
  json: { type: "application/json; charset=utf-8", ext: "usage.json" },
} as const;

/**
 * GET /providers/:id/usage/export?format=apel|csv|json&from=YYYY-MM-DD&to=YYYY-MM-DD
 * Staff only; audited; streamed from batched queries as the client reads.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const auth = await requireApi("console.view");
  if ("response" in auth) return auth.response;
  const { id: rawId } = await params;
  if (!/^\d+$/.test(rawId)) return text(404, "There is no such provider.");
  const url = new URL(request.url);
  const format = url.searchParams.get("format") ?? "apel";
  // Own keys only: "toString" or "constructor" are not formats.
  if (!Object.hasOwn(FORMATS, format)) return text(400, "Ask for format=apel, csv or json.");
  const now = new Date();
  const range = parseDayRange(url.searchParams.get("from") ?? undefined, url.searchParams.get("to") ?? undefined, now);
  if (!range) return text(400, "Give from and to as YYYY-MM-DD days, from not after to, at most ten years apart.");

  const db = await getDb();
  const provider = await getProvider(db, Number(rawId));
  if (!provider) return text(404, "There is no such provider. It may have been deleted.");
  const site = (await siteOf(db, provider.id))!;
  const days = rangeDays(range);

  await createAuditEntry(
    db,
    { id: auth.user.id, username: auth.user.username },
    {
      action: "accounting.export",
      targetType: "provider",
      targetId: provider.id,
      details: { name: provider.name, format, from: days.from, to: days.to },
      ip: await clientIp(),
    },
  );

  const opts = { providerId: provider.id, range, now };
  const gen =
    format === "apel"
      ? apelExport(db, { ...opts, site })
      : format === "csv"
        ? invoiceCsvExport(db, opts)
        : jsonExport(db, { ...opts, providerName: provider.name });
  const f = FORMATS[format as keyof typeof FORMATS];
  const safeName = provider.name.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 60) || `provider-${provider.id}`;
  const onError = (error: unknown) =>
    console.error(
      `[usage export] ${format} of provider ${provider.id} (${days.from}..${days.to}) failed mid-stream: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
    );
  return new Response(asyncTextStream(gen, onError), {
    headers: {
      "Content-Type": f.type,
      "Content-Disposition": `attachment; filename="${safeName}-${days.from}-${days.to}.${f.ext}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
