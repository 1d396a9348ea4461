import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { listProviderDrafts } from "@/lib/db/queries/provider-drafts";
import type { DraftData } from "@/lib/providers/schemas";
import { formatDateTime } from "@/lib/utils";
import { StartDraftButton } from "./start-draft-button";

export const metadata: Metadata = { title: "Add provider" };

export default async function NewProviderPage() {
  const user = await requirePage("providers.manage");
  const drafts = await listProviderDrafts(await getDb(), user.id);
  return (
    <>
      <PageHeader
        title="Add provider"
        description="Connect an OpenStack cloud: paste its openrc, clouds.yaml or add_new_provider JSON, verify it, choose how accounts and networks are made, and create it. Nothing is written to the portal until you press Create."
      />
      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Start</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3 text-sm text-slate-700">
            <p>Have the cloud&apos;s admin openrc (or clouds.yaml) at hand. The account needs the admin role: it creates projects and users.</p>
            <StartDraftButton />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Your unfinished wizards</CardTitle>
          </CardHeader>
          <CardContent>
            {drafts.length === 0 ? (
              <p className="text-sm text-slate-500">None. A wizard you leave is kept here, so nothing you typed is lost.</p>
            ) : (
              <ul className="grid gap-2 text-sm">
                {drafts.map((d) => {
                  const data = d.data as DraftData;
                  const label = data.deploy?.name ?? data.connect?.authUrl ?? "New provider";
                  return (
                    <li key={d.id}>
                      <Link href={`/providers/new/${d.id}/${d.step}`} className="font-medium text-brand-600 hover:underline">
                        {label}
                      </Link>{" "}
                      <span className="text-slate-500">
                        — at {d.step}, {formatDateTime(d.updatedAt)}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
