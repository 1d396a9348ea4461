import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ProvisionOnProvider } from "@/components/accounts/provision-on-provider";
import { PageHeader } from "@/components/layout/page-header";
import { ConfirmActionDialog } from "@/components/users/confirm-action-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { listActiveProviderNames } from "@/lib/db/queries/providers";
import { getUserById, listUserIdentities, type UserIdentityRow } from "@/lib/db/queries/users";
import { toManagedUser, type ManagedUser } from "@/lib/users/manage";
import { formatDateTime } from "@/lib/utils";
import { SetPasswordForm } from "../_components/set-password-form";
import { changeUserActive, changeUserRole, provisionAccounts } from "../actions";

type Params = { params: Promise<{ id: string }> };

function parseId(raw: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647 ? Number(raw) : null;
}

/** The user of this page, read once per request (the metadata and the page both need it). */
const loadUser = cache(async (id: number) => getUserById(await getDb(), id));

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const id = parseId((await params).id);
  const user = id ? await loadUser(id) : undefined;
  return { title: user ? `User ${user.username}` : "User" };
}

const STATE_TONE: Record<UserIdentityRow["state"], "success" | "warning" | "danger" | "neutral" | "info"> = {
  active: "success",
  pending: "neutral",
  provisioning: "info",
  failed: "danger",
  removing: "warning",
  removed: "neutral",
};

function Id({ value }: { value: string | null }) {
  return value ? <span className="break-all font-mono text-xs">{value}</span> : <span className="text-slate-400">—</span>;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-3 py-1.5">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  );
}

export default async function UserPage({ params }: Params) {
  const viewer = await requirePage("users.manage");
  const id = parseId((await params).id);
  if (!id) notFound();
  const db = await getDb();
  const row = await loadUser(id);
  if (!row) notFound();
  const user = toManagedUser(row);
  // The picker needs names only: listProvidersWithCounts would count every provider's accounts, images and sizes.
  const [accounts, activeProviders] = await Promise.all([listUserIdentities(db, id), listActiveProviderNames(db)]);
  const live = accounts.filter((a) => a.endDate === null).length;
  const canGrant = can(viewer, "users.grant_roles");
  const isSelf = viewer.id === user.id;
  // Staff cannot change a superuser's password or status (lib/users/manage.ts refuses it too).
  const guarded = user.isSuperuser && !viewer.isSuperuser;

  return (
    <>
      <PageHeader
        title={user.username}
        description={[user.displayName, user.email].filter(Boolean).join(" · ") || "No name or email on record."}
        actions={
          <Button asChild variant="ghost">
            <Link href="/users">
              <ArrowLeft aria-hidden className="h-4 w-4" /> All users
            </Link>
          </Button>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Details</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="text-sm">
              <Row label="Username">{user.username}</Row>
              <Row label="Display name">{user.displayName ?? "—"}</Row>
              <Row label="Email">{user.email ?? "—"}</Row>
              <Row label="Joined">{formatDateTime(user.joinedAt)}</Row>
              <Row label="Last login">{user.lastLogin ? formatDateTime(user.lastLogin) : "Never"}</Row>
              <Row label="Signs in with">
                {[user.hasPassword ? "a local password" : null, user.oidcSubject ? "single sign-on" : null].filter(Boolean).join(" and ") ||
                  "nothing yet (no password, never used single sign-on)"}
              </Row>
              <Row label="Cloud accounts">
                {live} live{accounts.length > live ? `, ${accounts.length - live} removed` : ""}
              </Row>
            </dl>
          </CardContent>
        </Card>
        <AccessCard user={user} isSelf={isSelf} canGrant={canGrant} guarded={guarded || ((user.isStaff || user.isSuperuser) && !viewer.isSuperuser)} />
      </div>

      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Password</CardTitle>
        </CardHeader>
        <CardContent>
          {isSelf ? (
            <p className="text-sm text-slate-600">
              This is you: change your own password under the account menu →{" "}
              <Link href="/account" className="font-medium text-brand-600 underline">
                Change password
              </Link>
              .
            </p>
          ) : guarded || (user.isStaff && !viewer.isSuperuser) ? (
            <p className="text-sm text-slate-600">
              Only a superuser can set the password of a {user.isSuperuser ? "superuser" : "staff member"}.
            </p>
          ) : (
            <SetPasswordForm userId={user.id} username={user.username} hasPassword={user.hasPassword} />
          )}
        </CardContent>
      </Card>

      <Card className="mt-6">
        <CardHeader className="flex flex-wrap items-center justify-between gap-3">
          <CardTitle>Cloud accounts</CardTitle>
          {can(viewer, "accounts.manage") && activeProviders.length > 0 ? (
            <ProvisionOnProvider username={user.username} providers={activeProviders} provisionAccounts={provisionAccounts} />
          ) : null}
        </CardHeader>
        {accounts.length === 0 ? (
          <CardContent>
            <p className="text-sm text-slate-600">{user.username} has no account on any provider yet.</p>
          </CardContent>
        ) : (
          <IdentitiesTable username={user.username} rows={accounts} />
        )}
      </Card>
    </>
  );
}

function AccessCard({ user, isSelf, canGrant, guarded }: { user: ManagedUser; isSelf: boolean; canGrant: boolean; guarded: boolean }) {
  const name = user.username;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Access</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        <section aria-label="Status" className="grid grid-cols-[9rem_1fr] items-start gap-3">
          <span className="text-slate-500">Status</span>
          <div className="grid justify-items-start gap-2">
            {user.isActive ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Inactive</Badge>}
            {isSelf && user.isActive ? (
              <p className="text-xs text-slate-500">You cannot deactivate your own account.</p>
            ) : guarded ? (
              <p className="text-xs text-slate-500">Only a superuser can change the status of a staff member.</p>
            ) : (
              <ConfirmActionDialog
                key="active"
                action={changeUserActive}
                fields={{ userId: user.id, active: !user.isActive }}
                trigger={user.isActive ? "Deactivate user" : "Activate user"}
                title={user.isActive ? `Deactivate ${name}?` : `Activate ${name}?`}
                description={
                  user.isActive
                    ? `${name} will no longer be able to sign in, and a session they have open stops working at their next click. Their cloud accounts are kept. You can activate them again later.`
                    : `${name} can sign in again with the access they had.`
                }
                confirm={user.isActive ? "Deactivate" : "Activate"}
                destructive={user.isActive}
              />
            )}
          </div>
        </section>
        <section aria-label="Staff" className="grid grid-cols-[9rem_1fr] items-start gap-3">
          <span className="text-slate-500">Staff</span>
          <div className="grid justify-items-start gap-2">
            {user.isStaff ? <Badge tone="info">Staff</Badge> : <span>No</span>}
            {canGrant ? (
              <ConfirmActionDialog
                key="staff"
                action={changeUserRole}
                fields={{ userId: user.id, role: "staff", grant: !user.isStaff }}
                trigger={user.isStaff ? "Revoke staff" : "Grant staff"}
                title={user.isStaff ? `Revoke staff from ${name}?` : `Grant staff to ${name}?`}
                description={
                  user.isStaff
                    ? user.isSuperuser
                      ? `${name} stays in the console as a superuser.`
                      : `${name} loses the console at their next click; their cloud accounts are kept.`
                    : `${name} gets the whole console: providers, accounts, imports, launch tests, users and the audit log. Only superusers grant roles.`
                }
                confirm={user.isStaff ? "Revoke staff" : "Grant staff"}
                destructive={user.isStaff}
              />
            ) : null}
          </div>
        </section>
        <section aria-label="Superuser" className="grid grid-cols-[9rem_1fr] items-start gap-3">
          <span className="text-slate-500">Superuser</span>
          <div className="grid justify-items-start gap-2">
            {user.isSuperuser ? <Badge tone="warning">Superuser</Badge> : <span>No</span>}
            {canGrant ? (
              <ConfirmActionDialog
                key="superuser"
                action={changeUserRole}
                fields={{ userId: user.id, role: "superuser", grant: !user.isSuperuser }}
                trigger={user.isSuperuser ? "Revoke superuser" : "Grant superuser"}
                title={user.isSuperuser ? `Revoke superuser from ${name}?` : `Grant superuser to ${name}?`}
                description={
                  user.isSuperuser
                    ? `${name} can no longer grant or revoke staff and superuser${user.isStaff ? "; they keep staff access" : ", and without staff they lose the console"}. The last active superuser cannot be revoked.`
                    : `${name} can do everything in the console, including granting and revoking staff and superuser for anyone.`
                }
                confirm={user.isSuperuser ? "Revoke superuser" : "Grant superuser"}
                destructive={user.isSuperuser}
              />
            ) : null}
          </div>
        </section>
        {canGrant ? null : <p className="text-xs text-slate-500">Only superusers can grant or revoke staff and superuser.</p>}
      </CardContent>
    </Card>
  );
}

function IdentitiesTable({ username, rows }: { username: string; rows: UserIdentityRow[] }) {
  return (
    <Table aria-label={`Cloud accounts of ${username}`} className="text-xs">
      <THead>
        <tr>
          <TH>Provider</TH>
          <TH>Project</TH>
          <TH>OpenStack user</TH>
          <TH>Network / subnet / router</TH>
          <TH>State</TH>
          <TH>Last step</TH>
          <TH>Last error</TH>
          <TH>Created</TH>
          <TH>End date</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map((a) => (
          <TR key={a.id} className={a.endDate ? "text-slate-500" : undefined}>
            <TD>
              <Link href={`/providers/${a.providerId}`} className="font-medium text-brand-700 hover:underline">
                {a.providerName ?? `provider ${a.providerId}`}
              </Link>
              <div className="text-slate-500">provider {a.providerId}</div>
            </TD>
            <TD>
              <div className="font-medium">{a.projectName}</div>
              <Id value={a.projectId} />
            </TD>
            <TD>
              <Id value={a.openstackUserId} />
            </TD>
            <TD>
              <div className="grid gap-0.5">
                <span>
                  net <Id value={a.networkId} />
                </span>
                <span>
                  subnet <Id value={a.subnetId} />
                  {a.subnetCidr ? <span className="ml-1 font-mono">({a.subnetCidr})</span> : null}
                </span>
                <span>
                  router <Id value={a.routerId} />
                </span>
              </div>
            </TD>
            <TD>
              <Badge tone={STATE_TONE[a.state]}>{a.state}</Badge>
            </TD>
            <TD>{a.lastStep ?? "—"}</TD>
            <TD className="max-w-xs break-words text-red-700">{a.lastError ?? <span className="text-slate-400">—</span>}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(a.createdAt)}</TD>
            <TD className="whitespace-nowrap">{a.endDate ? formatDateTime(a.endDate) : "—"}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
