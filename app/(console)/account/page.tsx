import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { requirePage } from "@/lib/auth/dal";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requirePage("self.update");
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${user.username}.`} />
      <Card>
        <CardContent>
          <PasswordForm />
        </CardContent>
      </Card>
    </>
  );
}
