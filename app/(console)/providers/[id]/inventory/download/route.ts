import { ActionError } from "@/lib/actions/errors";
import { clientIp } from "@/lib/auth";
import { requireApi } from "@/lib/auth/api";
import { getDb } from "@/lib/db";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { singleLine } from "@/lib/domain/dns-name";
import { inventoryFileName, inventoryLines, inventoryTarFiles, parseInventoryDownload } from "@/lib/inventory/files";
import { inventoryProblem } from "@/lib/inventory/generate";
import { loadInventory } from "@/lib/inventory/load";
import { chunksToStream, linesToStream, tarChunks } from "@/lib/inventory/stream";

export const dynamic = "force-dynamic";

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

const STATUS = { not_found: 404, invalid_input: 409, upstream: 502 } as Record<string, number>;

function groupVarsProblem(providerName: string): string | null {
  try {
    singleLine(providerName, "The provider name");
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * GET /providers/:id/inventory/download?file=hosts|group_vars|zone|tar[&origin=example.org]
 * Streams the file: a /16 pool is 65k lines, generated as the client reads them.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const auth = await requireApi("console.view");
  if ("response" in auth) return auth.response;
  const { id: rawId } = await params;
  if (!/^\d+$/.test(rawId)) return text(404, "There is no such provider.");
  // An origin that is not a DNS name is refused, never cut or escaped: it goes into $ORIGIN.
  const query = parseInventoryDownload(new URL(request.url).searchParams);
  if (!query.ok) return text(query.status, query.message);
  const { file, origin } = query;

  const db = await getDb();
  let loaded;
  try {
    loaded = await loadInventory(db, Number(rawId));
  } catch (error) {
    if (error instanceof ActionError) return text(STATUS[error.code] ?? 400, error.message);
    throw error;
  }
  const { provider, source, groupVars } = loaded;
  // Checked before the first byte: a generator that threw mid-stream would leave a cut file.
  const problem = file === "group_vars" ? groupVarsProblem(source.providerName) : inventoryProblem(source, { origin });
  if (problem) return text(409, problem);

  await createAuditEntry(
    db,
    { id: auth.user.id, username: auth.user.username },
    {
      action: "inventory.export",
      targetType: "provider",
      targetId: provider.id,
      details: { name: provider.name, file, ...(origin ? { origin } : {}), pools: source.pools.length },
      ip: await clientIp(),
    },
  );

  const body =
    file === "tar"
      ? chunksToStream(tarChunks(inventoryTarFiles(source, groupVars, { origin, mtime: new Date() })))
      : linesToStream(inventoryLines(file, source, groupVars, { origin }));
  return new Response(body, {
    headers: {
      "Content-Type": file === "tar" ? "application/x-tar" : "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${inventoryFileName(file, provider.name)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
