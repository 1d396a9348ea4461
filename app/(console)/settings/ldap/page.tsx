import type { Metadata } from "next";
import { DirectoryForm, NEW_DIRECTORY } from "@/components/ldap/directory-form";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { listDirectories } from "@/lib/ldap/store";
import { formatDateTime } from "@/lib/utils";
import { deleteLdapDirectory, saveLdapDirectory, testLdapDirectory } from "./actions";

export const metadata: Metadata = { title: "LDAP directories" };

export default async function LdapSettingsPage() {
  const user = await requirePage("accounts.manage");
  // Staff see the directories and may test them as saved; superusers add, change and delete them.
  const canManage = can(user, "ldap.manage");
  const directories = await listDirectories(await getDb());
  return (
    <>
      <PageHeader
        title="LDAP directories"
        description="Directories whose groups become accounts: on a provider's Accounts page, provision the members of a group (and keep new members coming on a schedule). Cloudport only reads the directory; an account is removed because someone left a group only when staff confirm it there (“Remove those who left”)."
      />
      <div className="grid gap-6">
        {directories.map((d) => (
          <Card key={d.id}>
            <CardHeader>
              <CardTitle>{d.name}</CardTitle>
              <p className="mt-1 text-xs text-slate-500">Updated {formatDateTime(d.updatedAt)}</p>
            </CardHeader>
            <CardContent>
              <DirectoryForm values={d} save={saveLdapDirectory} test={testLdapDirectory} remove={deleteLdapDirectory} readOnly={!canManage} />
            </CardContent>
          </Card>
        ))}
        {canManage ? (
          <Card>
            <CardHeader>
              <CardTitle>{directories.length ? "Add another directory" : "Add a directory"}</CardTitle>
            </CardHeader>
            <CardContent>
              <DirectoryForm values={NEW_DIRECTORY} save={saveLdapDirectory} test={testLdapDirectory} />
            </CardContent>
          </Card>
        ) : (
          <p className="text-sm text-slate-600">Only a superuser can add, change or delete a directory (its bind password is a secret like a cloud credential).</p>
        )}
      </div>
    </>
  );
}
