"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions";
import { adoptAccountDef } from "@/lib/accounts/adopt";

// Thin wrapper: the definition (superuser check, audit) lives in lib/accounts/adopt.ts.
export const adoptAccount = defineAction({
  ...adoptAccountDef,
  async handler(input, ctx) {
    const r = await adoptAccountDef.handler(input, ctx);
    revalidatePath(`/providers/${input.providerId}/accounts`);
    return r;
  },
});
