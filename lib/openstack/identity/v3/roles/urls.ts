import { seg } from "../../../core/lookup";

export const rolesUrl = () => "/roles";
export const roleUrl = (id: string) => `/roles/${seg(id)}`;
