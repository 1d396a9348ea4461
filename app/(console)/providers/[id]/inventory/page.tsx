import { Download } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FilePreview } from "@/components/inventory/file-preview";
import { GroupVarsEditor } from "@/components/inventory/group-vars-editor";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionError } from "@/lib/actions/errors";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { inventoryFileName } from "@/lib/inventory/files";
import { describePools, inventoryGroupName, normalizeOrigin, originProblem } from "@/lib/inventory/generate";
import { inventoryPreview } from "@/lib/inventory/preview";
import { loadInventory, type LoadedInventory } from "@/lib/inventory/load";
import { updateGroupVars } from "./actions";

type Params = { params: Promise<{ id: string }>; searchParams: Promise<{ origin?: string }> };

const PREVIEW_LINES = 20;

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Inventory · provider ${id}` };
}

export default async function InventoryPage({ params, searchParams }: Params) {
  const user = await requirePage("console.view");
  const { id: rawId } = await params;
  const sp = await searchParams;
  const db = await getDb();
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();

  let loaded: LoadedInventory | null = null;
  let loadError: string | null = null;
  try {
    loaded = await loadInventory(db, provider.id);
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    loadError = error.message;
  }

  // An origin that is not a DNS name is refused (and shown as typed), never written to $ORIGIN.
  const originError = originProblem(sp.origin);
  const origin = originError ? undefined : normalizeOrigin(sp.origin);
  const href = (file: string) => `/providers/${provider.id}/inventory/download?file=${file}${origin && file !== "hosts" ? `&origin=${encodeURIComponent(origin)}` : ""}`;
  const group = inventoryGroupName(provider.name);
  const header = (
    <PageHeader
      title={`Ansible inventory · ${provider.name}`}
      description={
        <>
          The atmosphere-ansible <code>hosts</code> file and <code>group_vars</code> for provider {provider.id}, and the DNS records for its
          instances&apos; floating IPs.
        </>
      }
      actions={
        loaded ? (
          <a href={href("tar")} className={buttonVariants()} download>
            <Download aria-hidden className="h-4 w-4" /> Download all (.tar)
          </a>
        ) : undefined
      }
    />
  );

  if (!loaded) {
    return (
      <>
        {header}
        <Alert tone="error">
          <p className="font-medium">Could not read the floating-IP pools from the cloud.</p>
          <p className="mt-1">{loadError}</p>
        </Alert>
      </>
    );
  }

  const { source, groupVars } = loaded;
  // Bounded walks: a /8 pool is 16M addresses; the preview takes its first lines, the download streams.
  const preview = inventoryPreview(source, groupVars, { origin, lines: PREVIEW_LINES });
  const { problem: formatProblem, collisions, hosts, zone } = preview;
  const total = preview.addresses;

  return (
    <>
      {header}
      <div className="grid grid-cols-1 gap-6">
        <Card>
          <CardContent className="grid gap-1 text-sm text-slate-700">
            <p>
              Hostname format <code className="font-mono">{source.hostnameFormat}</code>
              {source.domain ? (
                <>
                  {" "}
                  with %(domain)s = <code className="font-mono">{source.domain}</code>
                </>
              ) : null}
              , over {total.toLocaleString("en-US")} floating {total === 1 ? "IP" : "IPs"} of <code className="font-mono">{source.networkName}</code> ({describePools(source.pools)}).
            </p>
            <p>
              Put <code>hosts</code> in <code>atmosphere-ansible/ansible/hosts</code> and the group variables in{" "}
              <code>ansible/group_vars/{group}</code>: Ansible applies a group_vars file to the group of the same name.
            </p>
          </CardContent>
        </Card>

        {formatProblem ? <Alert tone="error">{formatProblem} Fix it under Edit settings → Deploy.</Alert> : null}
        {originError ? <Alert tone="error">{originError}</Alert> : null}
        {total === 0 ? <Alert tone="warning">The external network has no IPv4 allocation pool: the files list no hosts.</Alert> : null}
        {collisions.count > 0 ? (
          <Alert tone="warning">
            {collisions.partial ? "In the first " + collisions.scanned.toLocaleString("en-US") + " addresses, " : ""}
            {collisions.count.toLocaleString("en-US")} {collisions.count === 1 ? "address gets" : "addresses get"} a hostname another address already has
            (e.g. {collisions.examples.join("; ")}): the format does not use every octet that varies across the pools. Add %(three)s (or
            %(two)s) to the format, or Ansible will keep only the last address for each repeated name.
          </Alert>
        ) : null}

        {hosts ? (
          <FilePreview
            title="hosts"
            fileName={inventoryFileName("hosts", provider.name)}
            description={<>The {group} group, one line per possible instance hostname.</>}
            lines={hosts.lines}
            total={hosts.total}
            downloadHref={href("hosts")}
          />
        ) : null}

        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>Group variables</CardTitle>
              <p className="mt-1 text-sm text-slate-600">
                Kept with the provider&apos;s settings (cloud_config.group_vars), e.g. TIMEZONE, NTP_SERVERS, MOUNTSOURCE.
              </p>
            </CardHeader>
            <CardContent>
              <GroupVarsEditor providerId={provider.id} initial={groupVars} canEdit={can(user, "providers.manage")} action={updateGroupVars} />
            </CardContent>
          </Card>
          <FilePreview
            title="group_vars"
            fileName={inventoryFileName("group_vars", provider.name)}
            description="The file as saved; save the editor to update it."
            lines={preview.groupVars.lines}
            total={preview.groupVars.total}
            downloadHref={href("group_vars")}
          />
        </div>

        {zone ? (
          <FilePreview
            title="DNS zone snippet"
            fileName={inventoryFileName("zone", provider.name)}
            description="A records for every floating IP, as the seed asks (a DNS zone for instance public IPs). Paste them into your zone."
            lines={zone.lines}
            total={zone.total}
            downloadHref={href("zone")}
          >
            <form method="get" className="flex flex-wrap items-end gap-2" role="search" aria-label="Zone origin">
              <div className="w-72">
                <Field id="origin" label="Zone origin (optional)" hint="Names inside it are written relative to it, after a $ORIGIN line.">
                  <Input id="origin" name="origin" defaultValue={originError ? sp.origin : (origin?.slice(0, -1) ?? "")} placeholder={source.domain ?? "example.org"} />
                </Field>
              </div>
              <Button type="submit" variant="secondary" size="sm" className="mb-5">
                Apply
              </Button>
            </form>
          </FilePreview>
        ) : null}
      </div>
    </>
  );
}
