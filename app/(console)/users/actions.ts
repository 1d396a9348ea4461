"use server";

import { defineAction, defineFormAction } from "@/lib/actions";
import * as accounts from "@/lib/accounts/actions";
import * as defs from "@/lib/users/actions";

export const createUser = defineFormAction(defs.createUser);
export const resetUserPassword = defineFormAction(defs.resetUserPassword);
export const changeUserActive = defineFormAction(defs.changeUserActive);
export const changeUserRole = defineFormAction(defs.changeUserRole);
// The user page provisions that user's accounts on a provider.
export const provisionAccounts = defineAction(accounts.provisionAccounts);
