import { UserPlus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { UserSearch, userListHref } from "@/components/users/user-search";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { listUsers } from "@/lib/db/queries/users";
import { userListParamsSchema } from "@/lib/users/schemas";
import { formatDateTime } from "@/lib/utils";
import { plural } from "@/lib/domain/format";

export const metadata: Metadata = { title: "Users" };

const PAGE_SIZE = 25;

function YesNo({ value, yes }: { value: boolean; yes: string }) {
  return value ? <Badge tone="info">{yes}</Badge> : <span className="text-slate-400">No</span>;
}

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage("users.manage");
  const { q, role, status, page } = userListParamsSchema.parse(await searchParams);
  const db = await getDb();
  const { rows, total, pageSize } = await listUsers(db, { q, role, status, page, pageSize: PAGE_SIZE });
  const filtered = Boolean(q || role || status);
  const lastPage = Math.max(1, Math.ceil(total / pageSize));

  return (
    <>
      <PageHeader
        title="Users"
        description="Portal users, staff and superusers. Staff use this console; superusers also grant and revoke staff and superuser."
        actions={
          <Button asChild>
            <Link href="/users/new">
              <UserPlus aria-hidden className="h-4 w-4" /> New user
            </Link>
          </Button>
        }
      />
      <UserSearch q={q} role={role} status={status} />
      <p role="status" className="mb-2 text-sm text-slate-600">
        {total === 0
          ? filtered
            ? "No users match."
            : "No users yet."
          : `${plural(total, "user")}${filtered ? " match" : ""}.`}
      </p>
      {rows.length === 0 ? (
        total > 0 ? (
          <EmptyState title={`There is no page ${page}`}>
            <Link className="font-medium text-brand-600 underline" href={`${userListHref({ q, role, status })}${lastPage > 1 ? `${filtered ? "&" : "?"}page=${lastPage}` : ""}`}>
              Go to the last page ({lastPage})
            </Link>
          </EmptyState>
        ) : filtered ? (
          <EmptyState title="No users match">
            Try part of the username, name or email, or{" "}
            <Link className="font-medium text-brand-600 underline" href="/users">
              clear the search
            </Link>
            .
          </EmptyState>
        ) : (
          <EmptyState title="No users yet">Create one with New user, or let people sign in with single sign-on.</EmptyState>
        )
      ) : (
        <Card>
          <Table aria-label="Users">
            <THead>
              <tr>
                <TH>Username</TH>
                <TH>Name</TH>
                <TH>Email</TH>
                <TH>Staff</TH>
                <TH>Superuser</TH>
                <TH>Active</TH>
                <TH>Joined</TH>
                <TH>Last login</TH>
                <TH className="text-right" title="Live accounts on any provider">
                  Cloud accounts
                </TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((u) => (
                <TR key={u.id}>
                  <TD className="font-medium">
                    <Link href={`/users/${u.id}`} className="text-brand-700 hover:underline">
                      {u.username}
                    </Link>
                  </TD>
                  <TD className="min-w-32">{u.displayName ?? <span className="text-slate-400">—</span>}</TD>
                  <TD className="text-slate-600">{u.email ?? <span className="text-slate-400">—</span>}</TD>
                  <TD>
                    <YesNo value={u.isStaff} yes="Staff" />
                  </TD>
                  <TD>
                    <YesNo value={u.isSuperuser} yes="Superuser" />
                  </TD>
                  <TD>{u.isActive ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Inactive</Badge>}</TD>
                  <TD className="whitespace-nowrap text-slate-600">
                    <time dateTime={u.joinedAt.toISOString()} title={formatDateTime(u.joinedAt)}>
                      {u.joinedAt.toISOString().slice(0, 10)}
                    </time>
                  </TD>
                  <TD className="whitespace-nowrap text-slate-600">{u.lastLogin ? formatDateTime(u.lastLogin) : "Never"}</TD>
                  <TD className="text-right tabular-nums">{u.liveIdentities}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination page={page} pageSize={pageSize} total={total} basePath="/users" params={{ q, role, status }} />
        </Card>
      )}
    </>
  );
}
