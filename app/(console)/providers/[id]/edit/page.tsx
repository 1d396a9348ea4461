import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import type { Db } from "@/lib/db/client";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { accountCounts, accountSecretLockReason } from "@/lib/providers/manage";
import { openAdminClient, readCloudConfig, settingsOf } from "@/lib/providers/connection";
import { federationChoices } from "@/lib/providers/federation";

const accountDomain = (domains: Array<{ id: string; name: string }>, wanted: string) =>
  domains.find((d) => d.id === wanted || d.name === wanted) ?? { id: wanted, name: wanted };
import { redactSecrets } from "@/lib/redact";
import { EditProviderForm, type LiveOptions } from "../_components/edit-form";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Edit provider ${id}` };
}

/** What the cloud offers for the network and accounts settings; the form falls back to text fields without it. */
async function liveOptions(db: Db, providerId: number): Promise<LiveOptions> {
  let close: (() => Promise<void>) | undefined;
  try {
    const { provider, client } = await openAdminClient(db, providerId, { timeoutMs: 10_000 });
    close = () => client.close();
    const [routers, externals, roles, domains] = await Promise.all([
      client.network.routers.list(),
      client.network.networks.list({ routerExternal: true }),
      client.identity.roles.list(),
      client.identity.domains.list(),
    ]);
    const names = new Map(externals.map((n) => [n.id, n.name]));
    return {
      ok: true,
      routers: routers.map((r) => ({
        id: r.id,
        name: r.name,
        gateway: r.externalGateway ? (names.get(r.externalGateway.networkId) ?? r.externalGateway.networkId) : null,
      })),
      externalNetworks: externals.map((n) => n.name),
      roles: roles.map((r) => r.name).sort((a, b) => a.localeCompare(b)),
      domains: domains.map((d) => ({ id: d.id, name: d.name })),
      federation: await federationChoices(client, accountDomain(domains, readCloudConfig(provider.cloudConfig).user.domain)).catch(() => null),
    };
  } catch (error) {
    return { ok: false, message: redactSecrets(error instanceof Error ? error.message : String(error)) };
  } finally {
    await close?.();
  }
}

export default async function EditProviderPage({ params }: Params) {
  await requirePage("providers.manage");
  const { id: rawId } = await params;
  const db = await getDb();
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();
  const [counts, live] = await Promise.all([accountCounts(db, provider.id), liveOptions(db, provider.id)]);

  return (
    <>
      <PageHeader
        title={`Edit ${provider.name}`}
        description={
          <>
            provider {provider.id}.{" "}
            <Link href={`/providers/${provider.id}`} className="font-medium text-brand-600 hover:underline">
              Back to the provider
            </Link>
          </>
        }
      />
      {/* Settings only: the stored secrets stay on the server; blank secret fields keep them. */}
      <EditProviderForm
        providerId={provider.id}
        initial={settingsOf(provider)}
        live={live}
        accountSecretLock={accountSecretLockReason(counts.all)}
      />
    </>
  );
}
