"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/inventory/actions";

export const updateGroupVars = defineFormAction(defs.updateGroupVars);
