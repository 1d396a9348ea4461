import { clientIp } from "@/lib/auth";
import { getSessionUser } from "@/lib/auth/dal";
import { ActionError } from "@/lib/actions/errors";
import { getDb } from "@/lib/db";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { checkExportRequest } from "@/lib/providers/export-access";
import { exportProvider } from "@/lib/providers/manage";

// Route handlers get no page guard: this one checks the session and permissions itself.

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * GET /providers/:id/export?format=json|clouds.yaml|ca.pem — the provider's settings as a file.
 * `secrets=1&confirm=1` adds the admin credential and the account secret, for superusers only.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getSessionUser();
  const { id: rawId } = await params;
  const req = checkExportRequest(user, rawId, new URL(request.url).searchParams, request.headers.get("sec-fetch-site"));
  if (!req.ok) return text(req.status, req.message);

  const db = await getDb();
  let file;
  try {
    file = await exportProvider(db, req.id, req.format, req.withSecrets);
  } catch (error) {
    if (error instanceof ActionError) return text(error.code === "not_found" ? 404 : 400, error.message);
    throw error;
  }
  await createAuditEntry(
    db,
    { id: user!.id, username: user!.username },
    {
      action: "provider.export",
      targetType: "provider",
      targetId: req.id,
      details: { name: file.provider.name, format: req.format, withSecrets: req.withSecrets },
      ip: await clientIp(),
    },
  );
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
