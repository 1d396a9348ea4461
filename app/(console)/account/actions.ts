"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions";
import { signInAgain } from "@/lib/auth/session";
import { changeOwnPassword as change } from "@/lib/users/self";

export const changeOwnPassword = defineFormAction({
  name: "changeOwnPassword",
  permission: "self.update",
  input: z
    .object({
      currentPassword: z.string().min(1, "Enter your current password."),
      newPassword: z.string().min(1, "Enter a new password."),
      confirmPassword: z.string(),
    })
    .refine((v) => v.newPassword === v.confirmPassword, {
      path: ["confirmPassword"],
      message: "The two new passwords differ.",
    }),
  async handler(input, { db, user, ip }) {
    // Checks, stores, audits and ends every session of this user (lib/users/self.ts) ...
    await change(db, { id: user.id, username: user.username, ip }, input);
    // ... then signs this browser in again under the new session version.
    const problem = await signInAgain(user.username, input.newPassword);
    return { changed: true, signedOut: problem !== null };
  },
});
