"use server";

import { defineFormAction } from "@/lib/actions";
import * as defs from "@/lib/ldap/actions";

export const saveLdapDirectory = defineFormAction(defs.saveLdapDirectory);
export const testLdapDirectory = defineFormAction(defs.testLdapDirectory);
export const deleteLdapDirectory = defineFormAction(defs.deleteLdapDirectory);
