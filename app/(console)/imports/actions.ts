"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/imports/actions";

export const runImports = defineFormAction(defs.runImports);
export const saveImportSchedule = defineFormAction(defs.saveImportSchedule);
