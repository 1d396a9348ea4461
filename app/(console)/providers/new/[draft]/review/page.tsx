import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { cloudConfigOf } from "@/lib/providers/connection";
import { requireStepsBefore } from "../load";
import { CreateButtons } from "./create-buttons";
import { plural } from "@/lib/domain/format";

export const metadata: Metadata = { title: "Add provider · Review" };

function Section({ title, edit, rows }: { title: string; edit: string; rows: Array<[string, React.ReactNode]> }) {
  return (
    <Card>
      <CardHeader className="flex flex-row items-center justify-between">
        <CardTitle>{title}</CardTitle>
        <Link href={edit} className="text-sm font-medium text-brand-600 hover:underline">
          Edit<span className="sr-only"> {title.toLowerCase()}</span>
        </Link>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[minmax(10rem,auto)_1fr] gap-x-6 gap-y-1.5 text-sm">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <dd className="break-words font-medium text-slate-900">{v}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}

export default async function ReviewPage({ params }: { params: Promise<{ draft: string }> }) {
  const { draft: id } = await params;
  const draft = await requireStepsBefore(id, "review");
  const { connect, network, accounts, deploy, preflight } = draft.data as Required<typeof draft.data>;
  const cc = cloudConfigOf({ network, accounts, deploy });
  const step = (s: string) => `/providers/new/${id}/${s}`;
  const warnings = preflight.checks.filter((c) => c.status === "warn").length;
  return (
    <div className="grid gap-6">
      <p className="text-sm text-slate-700">Does everything below look correct? Nothing is written to the portal until you press Create provider.</p>
      <Section
        title="Provider information"
        edit={step("deploy")}
        rows={[
          ["Name", deploy.name],
          ["Platform", deploy.platform],
          ["Public", deploy.isPublic ? "yes" : "no"],
          ["Type", "OpenStack"],
        ]}
      />
      <Section
        title="Cloud config"
        edit={step("network")}
        rows={[
          ["Topology", cc.network.topology],
          ["DNS name servers", cc.network.dns_nameservers.join(", ")],
          ["Security rules", `${plural(network.securityRules.length, "rule")}: ${network.securityRules.map((r) => `${r.protocol} ${r.fromPort}–${r.toPort}${r.cidr ? ` ${r.cidr}` : ""}`).join("; ")}`],
          ["Admin role", cc.user.admin_role_name],
          ["User role", cc.user.user_role_name],
          ["Domain", cc.user.domain],
          ["Account secret", draft.secrets.accountSecret ? "set (stored encrypted, not shown)" : "missing"],
          ["Hostname format", <code key="hf">{cc.deploy.hostname_format}</code>],
          ...(cc.deploy.domain ? ([["Instance domain", cc.deploy.domain]] as Array<[string, string]>) : []),
        ]}
      />
      <Section
        title="Admin information"
        edit={step("connect")}
        rows={
          connect.authMethod === "password"
            ? [
                ["Username", connect.username],
                ["Password", "••••••••"],
                ["Project (tenant)", connect.projectId ?? connect.projectName],
                ["User / project domain", `${connect.userDomainName} / ${connect.projectDomainName}`],
              ]
            : [
                ["Application credential", connect.applicationCredentialId],
                ["Secret", "••••••••"],
              ]
        }
      />
      <Section
        title="Provider credentials"
        edit={step("connect")}
        rows={[
          ["Auth URL", connect.authUrl],
          ["Admin URL", connect.adminUrl ?? "—"],
          ["Region", connect.region],
          ["Public routers", network.topology === "External Router Topology" ? network.publicRouters.join(", ") : "— (External Network Topology)"],
          ["External network", network.externalNetwork],
          ["CA bundle", connect.caBundle ? "provided" : "none (public CAs only)"],
          ["Preflight", `passed with ${plural(warnings, "warning")}, ${new Date(preflight.at).toISOString().slice(0, 16).replace("T", " ")} UTC`],
        ]}
      />
      <CreateButtons draftId={id} offerAppCredential={connect.authMethod === "password"} />
    </div>
  );
}
