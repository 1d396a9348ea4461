"use server";

import { z } from "zod";
import { ActionError, defineFormAction } from "@/lib/actions";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/auth/password";
import { getUserById, updateUser } from "@/lib/db/queries/users";

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
  async handler(input, { db, user, audit }) {
    const row = await getUserById(db, user.id);
    if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
      throw new ActionError("invalid_input", "The current password is wrong.", {
        currentPassword: ["The current password is wrong."],
      });
    }
    const problem = passwordProblem(input.newPassword, user.username);
    if (problem) throw new ActionError("invalid_input", problem, { newPassword: [problem] });
    await updateUser(db, user.id, { passwordHash: await hashPassword(input.newPassword) });
    await audit({ action: "user.change_own_password", targetType: "user", targetId: user.id });
    return { changed: true };
  },
});
