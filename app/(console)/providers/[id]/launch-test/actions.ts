"use server";

import { defineFormAction } from "@/lib/actions";
import * as credentials from "@/lib/accounts/app-credential-actions";
import * as defs from "@/lib/launch/actions";

export const startLaunchTest = defineFormAction(defs.startLaunchTest);
export const saveAppCredential = defineFormAction(credentials.saveAppCredential);
export const deleteAppCredential = defineFormAction(credentials.deleteAppCredential);
