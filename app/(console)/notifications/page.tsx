import type { Metadata } from "next";
import Link from "next/link";
import { MarkAllRead } from "@/components/enforcement/enforcement-forms";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { notificationsPage } from "@/lib/enforcement/store";
import { env } from "@/lib/env";
import { formatDateTime } from "@/lib/utils";
import { markNotificationsRead } from "./actions";
import { pageParam } from "@/lib/domain/paging";

export const metadata: Metadata = { title: "Notifications" };

type Props = { searchParams: Promise<{ page?: string; unread?: string }> };
const PAGE_SIZE = 50;

export default async function NotificationsPage({ searchParams }: Props) {
  await requirePage("console.view");
  const sp = await searchParams;
  const page = pageParam(sp.page);
  const unread = sp.unread === "1";
  const db = await getDb();
  const list = await notificationsPage(db, { page, pageSize: PAGE_SIZE, unread });
  return (
    <>
      <PageHeader
        title="Notifications"
        description={`Allocation notices and enforcement actions for every provider. ${env().CLOUDPORT_SMTP_URL ? "Each is also mailed to the user it concerns." : "Mail is off (CLOUDPORT_SMTP_URL unset): they are only listed here."}`}
      />
      <Card>
        <CardHeader className="flex flex-wrap items-end justify-between gap-4">
          <CardTitle>{unread ? `Unread (${list.unread})` : `All (${list.unread} unread)`}</CardTitle>
          <div className="flex flex-wrap items-center gap-4">
            <nav aria-label="Notification filter" className="flex gap-3 text-sm">
              <Link href="/notifications" aria-current={!unread ? "page" : undefined} className="text-brand-700 hover:underline">
                All
              </Link>
              <Link href="/notifications?unread=1" aria-current={unread ? "page" : undefined} className="text-brand-700 hover:underline">
                Unread
              </Link>
            </nav>
            <MarkAllRead action={markNotificationsRead} disabled={list.unread === 0} />
          </div>
        </CardHeader>
        <CardContent className="grid gap-3">
          {list.rows.length === 0 ? (
            <EmptyState title={unread ? "Nothing unread" : "No notifications yet"}>Enforcement notices and actions show here.</EmptyState>
          ) : (
            <>
              <Table aria-label="Notifications">
                <THead>
                  <TR>
                    <TH>When</TH>
                    <TH>Provider</TH>
                    <TH>User</TH>
                    <TH>Subject</TH>
                    <TH>Message</TH>
                  </TR>
                </THead>
                <TBody>
                  {list.rows.map((n) => (
                    <TR key={n.id} data-read={n.readAt ? "yes" : "no"}>
                      <TD className="whitespace-nowrap">
                        {formatDateTime(n.createdAt)} {n.readAt ? null : <Badge tone="info">new</Badge>}
                      </TD>
                      <TD>{n.providerId ? <Link className="text-brand-700 hover:underline" href={`/providers/${n.providerId}/enforcement`}>{n.providerName}</Link> : "—"}</TD>
                      <TD>
                        {n.providerId && n.userId ? (
                          <Link className="text-brand-700 hover:underline" href={`/providers/${n.providerId}/allocation/users/${n.userId}`}>
                            {n.username}
                          </Link>
                        ) : (
                          (n.username ?? "—")
                        )}
                      </TD>
                      <TD className="font-medium">{n.subject}</TD>
                      <TD className="max-w-xl whitespace-pre-line text-sm text-slate-700">{n.body}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
              <Pagination page={page} pageSize={PAGE_SIZE} total={list.total} basePath="/notifications" params={{ unread: unread ? "1" : undefined }} label="Notification pages" />
            </>
          )}
        </CardContent>
      </Card>
    </>
  );
}
