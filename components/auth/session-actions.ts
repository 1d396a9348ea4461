"use server";

import { defineAction, defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/auth/actions";

export const reauthenticate = defineFormAction(defs.reauthenticate);
export const confirmFreshAuth = defineAction(defs.confirmFreshAuth);
export const signOutEverywhere = defineAction(defs.signOutEverywhere);
