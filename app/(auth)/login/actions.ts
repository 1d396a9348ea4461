"use server";

import { defineFormAction, defineRedirectAction } from "@/lib/actions";
import * as defs from "@/lib/auth/actions";

export const login = defineFormAction(defs.login);
export const loginWithSso = defineRedirectAction(defs.loginWithSso);
