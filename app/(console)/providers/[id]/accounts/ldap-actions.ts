"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/ldap/actions";

export const previewLdapGroup = defineFormAction(defs.previewLdapGroup);
export const provisionLdapGroup = defineFormAction(defs.provisionLdapGroup);
