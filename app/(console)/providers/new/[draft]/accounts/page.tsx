import type { Metadata } from "next";
import { CloudUnavailable } from "@/components/ui/step-error";
import { importedStepValues } from "@/lib/providers/connection";
import type { AccountsData } from "@/lib/providers/schemas";
import { requireStepsBefore, withDraftClient } from "../load";
import { AccountsForm } from "./accounts-form";
import { federationChoices } from "@/lib/providers/federation";

export const metadata: Metadata = { title: "Add provider · Accounts" };

const MEMBER_ROLES = ["member", "_member_", "Member"];

export default async function AccountsPage({ params }: { params: Promise<{ draft: string }> }) {
  const { draft: id } = await params;
  const draft = await requireStepsBefore(id, "accounts");
  const cloud = await withDraftClient(draft, async (os) => {
    const [roles, domains] = await Promise.all([os.identity.roles.list(), os.identity.domains.list()]);
    const wanted = draft.data.accounts?.domain ?? "default";
    const accountDomain = domains.find((d) => d.id === wanted || d.name === wanted) ?? { id: wanted, name: wanted };
    // Clouds without the OS-FEDERATION API (or an admin without access to it) just get no list.
    const federation = await federationChoices(os, { id: accountDomain.id, name: accountDomain.name }).catch(() => null);
    return {
      federation,
      roles: roles.map((r) => r.name).sort((a, b) => a.localeCompare(b)),
      domains: domains.map((d) => ({ id: d.id, name: d.name })),
    };
  });
  if (!cloud.ok) return <CloudUnavailable message={cloud.message} backHref={`/providers/new/${id}/connect`} />;
  const { roles, domains, federation } = cloud.value;
  // Pre-filled from an imported file through the one cloud_config reader, then matched to the cloud's roles and domains.
  const imported = importedStepValues(draft.data.imported).accounts;
  const pickRole = (wanted: string, fallbacks: string[]) => [wanted, ...fallbacks].find((r) => r && roles.includes(r)) ?? roles[0] ?? "";
  const pickDomain = (wanted: string) => {
    const w = wanted.toLowerCase();
    return domains.find((d) => d.id.toLowerCase() === w || d.name.toLowerCase() === w)?.id ?? domains.find((d) => d.id === "default")?.id ?? domains[0]?.id ?? "";
  };
  const initial: AccountsData = draft.data.accounts ?? {
    ...imported,
    adminRoleName: pickRole(draft.data.connect?.adminRoleName ?? imported.adminRoleName, ["admin"]),
    userRoleName: pickRole(imported.userRoleName, MEMBER_ROLES),
    domain: pickDomain(imported.domain),
  };
  return <AccountsForm draftId={id} initial={initial} roles={roles} domains={domains} federation={federation} secretStored={Boolean(draft.secrets.accountSecret)} />;
}
