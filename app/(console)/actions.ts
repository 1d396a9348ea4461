"use server";

import { defineRedirectAction } from "@/lib/actions";
import * as defs from "@/lib/auth/actions";

export const logout = defineRedirectAction(defs.logout);
