import { isFreshAuth, REAUTH_MESSAGE } from "@/lib/auth/fresh";
import { can } from "@/lib/auth/permissions";
import { EXPORT_FORMATS, type ExportFormat } from "./export";

type Who = { isStaff: boolean; isSuperuser: boolean; isActive: boolean; authTime?: number | null } | null;

export type ExportRequest =
  | { ok: true; id: number; format: ExportFormat; withSecrets: boolean }
  | { ok: false; status: 400 | 401 | 403 | 404; message: string };

/**
 * Decides an export request: who may download which file. Plain exports need console access;
 * with secrets needs a superuser, `confirm=1`, and a request that did not come from another site.
 */
export function checkExportRequest(
  user: Who,
  rawId: string,
  params: URLSearchParams,
  secFetchSite: string | null,
  now: number = Date.now(),
): ExportRequest {
  if (!user) return { ok: false, status: 401, message: "Your session has ended. Sign in again." };
  if (!can(user, "console.view")) return { ok: false, status: 403, message: "You need staff access to the Cloudport console for this." };
  const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : NaN;
  if (!Number.isSafeInteger(id)) return { ok: false, status: 404, message: `There is no provider ${rawId}.` };
  const format = (params.get("format") ?? "json") as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    return { ok: false, status: 400, message: `Unknown format "${format}": use json, clouds.yaml or ca.pem.` };
  }
  // A CA bundle is public: asking for it "with secrets" changes nothing.
  const withSecrets = params.get("secrets") === "1" && format !== "ca.pem";
  if (withSecrets) {
    if (!can(user, "users.grant_roles")) return { ok: false, status: 403, message: "Only a superuser can export a provider with its secrets." };
    if (params.get("confirm") !== "1") {
      return {
        ok: false,
        status: 400,
        message: "Exporting secrets needs an explicit confirmation (confirm=1): use Export with secrets… on the provider page.",
      };
    }
    // Browsers send Sec-Fetch-Site; a link on another site must not start a secrets download.
    if (secFetchSite && secFetchSite !== "same-origin" && secFetchSite !== "none") {
      return { ok: false, status: 403, message: "Start a secrets export from the provider page." };
    }
    // A session left open is not enough: the password must have been proved in the last 10 minutes.
    if (!isFreshAuth(user, now)) return { ok: false, status: 403, message: `${REAUTH_MESSAGE} Use Export with secrets… on the provider page.` };
  }
  return { ok: true, id, format, withSecrets };
}
