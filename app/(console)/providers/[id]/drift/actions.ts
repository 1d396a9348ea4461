"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/drift/actions";

export const driftBulk = defineFormAction(defs.driftBulk);
export const driftRow = defineFormAction(defs.driftRow);
export const driftSchedule = defineFormAction(defs.driftSchedule);
