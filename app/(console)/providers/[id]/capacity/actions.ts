"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/capacity/actions";

export const takeCapacitySnapshot = defineFormAction(defs.takeCapacitySnapshot);
