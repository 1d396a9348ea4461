"use server";

import { defineAction } from "@/lib/actions";
import * as defs from "@/lib/accounts/actions";

export const provisionAccounts = defineAction(defs.provisionAccounts);
export const removeAccounts = defineAction(defs.removeAccounts);
export const exportOpenrc = defineAction(defs.exportOpenrc);
export const adoptAccount = defineAction(defs.adoptAccount);
