import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { requirePage } from "@/lib/auth/dal";
import { CreateUserForm } from "../_components/create-user-form";

export const metadata: Metadata = { title: "New user" };

export default async function NewUserPage() {
  await requirePage("users.manage");
  return (
    <>
      <PageHeader
        title="New user"
        description="A local portal user who signs in with a password (or only with single sign-on). New users are not staff; a superuser grants that on their page."
      />
      <Card>
        <CardContent>
          <CreateUserForm />
        </CardContent>
      </Card>
    </>
  );
}
