import { Download, Pencil } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { PreflightReportView } from "@/components/providers/preflight-report";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { accountCounts, accountSecretLockReason, deleteBlockReason } from "@/lib/providers/manage";
import type { PreflightReport } from "@/lib/providers/schemas";
import { settingsOf } from "@/lib/providers/connection";
import { endpointFlags, preflightSummary, urlHost } from "@/lib/providers/settings";
import { formatDateTime } from "@/lib/utils";
import { ActiveDialog } from "./_components/active-dialog";
import { DeleteDialog } from "./_components/delete-dialog";
import { ExportSecretsDialog } from "./_components/export-secrets-dialog";
import { RerunPreflightButton } from "./_components/rerun-preflight";
import { CredentialCard } from "./_components/credential-card";
import { expiryNotice } from "@/lib/providers/app-credential";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Provider ${id}` };
}

function Section({ title, rows, children }: { title: string; rows: Array<[string, React.ReactNode]>; children?: React.ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-[minmax(9rem,auto)_1fr] gap-x-6 gap-y-1.5 text-sm">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <dd className="break-words font-medium text-slate-900">{v}</dd>
            </div>
          ))}
        </dl>
        {children}
      </CardContent>
    </Card>
  );
}

const none = <span className="font-normal text-slate-400">—</span>;
const stored = <span className="font-normal text-slate-700">stored (encrypted)</span>;

const INTERFACE_ORDER = ["public", "internal", "admin"];

/** Catalog rows by service type, then public → internal → admin, as operators read them. */
function sortCatalog(catalog: PreflightReport["catalog"]) {
  return [...catalog].sort(
    (a, b) => a.type.localeCompare(b.type) || INTERFACE_ORDER.indexOf(a.interface) - INTERFACE_ORDER.indexOf(b.interface) || a.region.localeCompare(b.region),
  );
}

function countCertificates(pem: string): number {
  return pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
}

export default async function ProviderPage({ params }: Params) {
  const user = await requirePage("console.view");
  const { id: rawId } = await params;
  const db = await getDb();
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();

  const counts = await accountCounts(db, provider.id);
  const s = settingsOf(provider);
  const report = provider.lastPreflight as PreflightReport | null;
  const summary = preflightSummary(report);
  const canManage = can(user, "providers.manage");
  const superuser = can(user, "users.grant_roles");
  const appCred = provider.authMethod === "application_credential";
  const lockReason = accountSecretLockReason(counts.all);
  const exportHref = (format: string) => `/providers/${provider.id}/export?format=${encodeURIComponent(format)}`;

  return (
    <>
      <PageHeader
        title={provider.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>
              provider {provider.id} · {provider.region} · {urlHost(provider.authUrl)}
            </span>
            <Badge tone={provider.isActive ? "success" : "neutral"}>{provider.isActive ? "active" : "inactive"}</Badge>
            <Badge tone={summary.tone}>preflight: {summary.label}</Badge>
          </span>
        }
        actions={
          canManage ? (
            <Link href={`/providers/${provider.id}/edit`} className={buttonVariants()}>
              <Pencil aria-hidden className="h-4 w-4" /> Edit settings
            </Link>
          ) : undefined
        }
      />

      <div className="grid gap-6">
        <div className="grid gap-6 lg:grid-cols-2">
          <Section
            title="Provider information"
            rows={[
              ["Name", provider.name],
              ["ID", `provider ${provider.id}`],
              ["Type", "OpenStack"],
              ["Platform", provider.platform],
              ["Public", provider.isPublic ? "yes" : "no"],
              ["Active", provider.isActive ? "yes" : "no"],
              ["Accounts", counts.all > counts.live ? `${counts.live} (and ${counts.all - counts.live} removed)` : String(counts.live)],
              ["Created", formatDateTime(provider.createdAt)],
              ["Updated", formatDateTime(provider.updatedAt)],
            ]}
          />
          <Section
            title="Credentials"
            rows={[
              ["Auth URL", <code key="a">{provider.authUrl}</code>],
              ["Admin URL", provider.adminUrl ? <code key="b">{provider.adminUrl}</code> : none],
              ["Region", provider.region],
              [
                "Public routers",
                s.network.topology === "External Router Topology" ? s.network.publicRouters.join(", ") || none : "— (External Network Topology)",
              ],
              ["External network", provider.networkName ?? none],
              [
                "CA bundle",
                provider.caBundle ? (
                  <span key="ca">
                    present ({countCertificates(provider.caBundle)} {countCertificates(provider.caBundle) === 1 ? "certificate" : "certificates"}) ·{" "}
                    <a href={exportHref("ca.pem")} className="font-normal text-brand-600 hover:underline">
                      download
                    </a>
                  </span>
                ) : (
                  "none (public CAs only)"
                ),
              ],
            ]}
          />
          <Section
            title="Admin information"
            rows={
              appCred
                ? [
                    ["Sign-in method", "Application credential"],
                    ["Application credential ID", <code key="i">{provider.applicationCredentialId}</code>],
                    ["Secret", stored],
                    ["Account secret", <span key="s">{stored}{lockReason ? <span className="block text-xs font-normal text-slate-500">locked: accounts exist</span> : null}</span>],
                  ]
                : [
                    ["Sign-in method", "Username and password"],
                    ["Username", provider.adminUsername ?? none],
                    ["Project (tenant)", provider.adminProjectName ?? none],
                    ["User domain", provider.userDomainName],
                    ["Project domain", provider.projectDomainName],
                    ["Password", stored],
                    ["Account secret", <span key="s">{stored}{lockReason ? <span className="block text-xs font-normal text-slate-500">locked: accounts exist</span> : null}</span>],
                  ]
            }
          />
          <Section
            title="Cloud config"
            rows={[
              ["Topology", s.network.topology],
              ["DNS name servers", s.network.dnsNameservers.join(", ") || none],
              ["Admin role", s.accounts.adminRoleName],
              ["User role", s.accounts.userRoleName],
              ["Domain", s.accounts.domain],
              [
                "Sign-in",
                s.accounts.federationIdp
                  ? `Keystone federation: identity provider ${s.accounts.federationIdp}, protocol ${s.accounts.federationProtocol}`
                  : "local users with derived passwords",
              ],
              ["Hostname format", <code key="h">{s.deploy.hostnameFormat}</code>],
              ["Instance domain", s.deploy.instanceDomain ?? none],
            ]}
          >
            <div className="grid gap-2">
              <h3 className="text-sm font-medium text-slate-700">Default security rules ({s.network.securityRules.length})</h3>
              {s.network.securityRules.length === 0 ? (
                <p className="text-sm text-slate-500">None: user projects keep OpenStack&apos;s default group only.</p>
              ) : (
                <div className="rounded-md border border-slate-200">
                  <Table aria-label="Default security rules">
                    <THead>
                      <tr>
                        <TH>Protocol</TH>
                        <TH>From</TH>
                        <TH>To</TH>
                        <TH>CIDR</TH>
                      </tr>
                    </THead>
                    <TBody>
                      {s.network.securityRules.map((r, i) => (
                        <TR key={i}>
                          <TD>{r.protocol}</TD>
                          <TD className="tabular-nums">{r.fromPort}</TD>
                          <TD className="tabular-nums">{r.toPort}</TD>
                          <TD className="font-mono text-xs">{r.cidr ?? "0.0.0.0/0"}</TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                </div>
              )}
            </div>
          </Section>
        </div>

        <CredentialCard
          providerId={provider.id}
          appCred={appCred}
          credentialId={provider.applicationCredentialId}
          notice={expiryNotice(provider.credentialExpiresAt)}
          canManage={canManage}
        />

        <Card>
          <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-4">
            <div>
              <CardTitle>Preflight</CardTitle>
              <p className="mt-1 text-sm text-slate-600">
                {provider.lastPreflightAt ? `Last run ${formatDateTime(provider.lastPreflightAt)}.` : "Never run for this provider."}
              </p>
            </div>
            {canManage ? <RerunPreflightButton providerId={provider.id} /> : null}
          </CardHeader>
          <CardContent>{report?.checks ? <PreflightReportView report={report} /> : <p className="text-sm text-slate-500">No report stored.</p>}</CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Service catalog</CardTitle>
            <p className="mt-1 text-sm text-slate-600">
              From the last preflight. The seed asks for HTTPS and host names (not IP addresses) on every public endpoint.
            </p>
          </CardHeader>
          {report?.catalog?.length ? (
            <Table aria-label="Service catalog">
              <THead>
                <tr>
                  <TH>Type</TH>
                  <TH>Name</TH>
                  <TH>Interface</TH>
                  <TH>Region</TH>
                  <TH>URL</TH>
                </tr>
              </THead>
              <TBody>
                {sortCatalog(report.catalog).map((e, i) => {
                  const flags = endpointFlags(e.url);
                  const flagged = flags.http || flags.ipHost;
                  return (
                    <TR key={`${e.type}-${e.interface}-${e.region}-${i}`} className={flagged ? "bg-amber-50/70" : undefined}>
                      <TD className="font-medium">{e.type}</TD>
                      <TD>{e.name || none}</TD>
                      <TD>{e.interface}</TD>
                      <TD>{e.region || none}</TD>
                      <TD>
                        <span className="break-all font-mono text-xs">{e.url}</span>
                        {flags.http ? (
                          <Badge tone="warning" className="ml-2">
                            plain HTTP
                          </Badge>
                        ) : null}
                        {flags.ipHost ? (
                          <Badge tone="warning" className="ml-2">
                            IP address host
                          </Badge>
                        ) : null}
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          ) : (
            <CardContent>
              <p className="text-sm text-slate-500">No catalog stored: re-run the preflight.</p>
            </CardContent>
          )}
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Export</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3">
            <p className="text-sm text-slate-600">
              The add_new_provider JSON can be imported again in the provider wizard. Secrets (the admin password or application
              credential secret, and the account secret) are left out.
            </p>
            <div className="flex flex-wrap gap-2">
              <a href={exportHref("json")} className={buttonVariants({ variant: "secondary" })}>
                <Download aria-hidden className="h-4 w-4" /> Download add_new_provider JSON
              </a>
              <a href={exportHref("clouds.yaml")} className={buttonVariants({ variant: "secondary" })}>
                <Download aria-hidden className="h-4 w-4" /> Download clouds.yaml
              </a>
              {superuser ? <ExportSecretsDialog providerId={provider.id} name={provider.name} /> : null}
            </div>
          </CardContent>
        </Card>

        {canManage ? (
          <Card>
            <CardHeader>
              <CardTitle>Provider state</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4 text-sm text-slate-700">
              <p>
                {provider.isActive
                  ? "This provider is active: users can get accounts on it and launch on it."
                  : "This provider is inactive: users do not see it."}{" "}
                Deleting is possible only while it has no accounts.
              </p>
              <div className="flex flex-wrap gap-2">
                <ActiveDialog providerId={provider.id} name={provider.name} isActive={provider.isActive} />
                <DeleteDialog providerId={provider.id} name={provider.name} blockedReason={deleteBlockReason(provider.id, counts)} />
              </div>
            </CardContent>
          </Card>
        ) : null}
      </div>
    </>
  );
}
