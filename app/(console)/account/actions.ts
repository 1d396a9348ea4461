"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/users/actions";

export const changeOwnPassword = defineFormAction(defs.changeOwnPassword);
