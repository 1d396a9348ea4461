"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/enforcement/actions";

export const setEnforcementOverride = defineFormAction(defs.setEnforcementOverride);
