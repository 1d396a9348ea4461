import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { AccountQuotaForm } from "@/components/quotas/account-quota-form";
import { Alert } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { leavesQuotaAlone } from "@/lib/accounts/adoption";
import { getAccount } from "@/lib/accounts/queries";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { openAdminClient } from "@/lib/providers/connection";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { readProjectQuota, type CloudQuota } from "@/lib/quotas/cloud";
import { customOf, listTiers } from "@/lib/quotas/tiers";
import { setAccountQuota } from "../actions";
import { MAX_ROW_ID } from "@/lib/domain/paging";

type Props = { params: Promise<{ id: string; identityId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Account quota · provider ${(await params).id}` };
}

export default async function AccountQuotaPage({ params }: Props) {
  const user = await requirePage("accounts.manage");
  const p = await params;
  const provider = await getProviderForRequest(p.id);
  if (!provider) notFound();
  const identityId = /^\d{1,10}$/.test(p.identityId) ? Number(p.identityId) : NaN;
  const db = await getDb();
  const account = Number.isFinite(identityId) && identityId <= MAX_ROW_ID ? await getAccount(db, provider.id, identityId) : undefined;
  if (!account || account.endDate) notFound();
  const tiers = await listTiers(db, provider.id);
  let cloud: CloudQuota | null = null;
  let problem: string | null = null;
  if (account.projectId) {
    try {
      const { client } = await openAdminClient(db, provider.id, { timeoutMs: 10_000 });
      try {
        cloud = await readProjectQuota(client, account.projectId);
      } finally {
        await client.close();
      }
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
  }
  return (
    <>
      <PageHeader
        title={`Quota of ${account.username}`}
        description={<>Project {account.projectName} on {provider.name}. Values below what the project uses now are refused.</>}
        actions={
          <Link href={`/providers/${provider.id}/quotas`} className={buttonVariants({ variant: "secondary" })}>
            All quotas
          </Link>
        }
      />
      {!account.projectId ? <Alert tone="warning">This account has no project yet: provision it first.</Alert> : null}
      {leavesQuotaAlone(account) ? (
        <Alert tone="warning">
          This project was adopted with its quota left as its owners set it: Cloudport does not change it, and the drift check does not compare it.{" "}
          {user.isSuperuser
            ? "Saving here takes the quota over: from then on Cloudport keeps it, drift checks included."
            : "Only a superuser can take the quota over, by saving it here."}
        </Alert>
      ) : null}
      {problem ? <Alert tone="error">Could not read the project&apos;s quotas from the cloud: {problem}</Alert> : null}
      {cloud?.skipped.length ? <Alert tone="warning">Not in this cloud&apos;s catalog (skipped): {cloud.skipped.join(", ")}.</Alert> : null}
      <div className="mt-4">
        <AccountQuotaForm
          providerId={provider.id}
          identityId={account.id}
          username={account.username}
          tiers={tiers}
          tierId={account.quotaTierId}
          custom={customOf(account.quotaCustom)}
          cloud={cloud?.values ?? null}
          usage={cloud?.usage ?? null}
          action={setAccountQuota}
        />
      </div>
    </>
  );
}
