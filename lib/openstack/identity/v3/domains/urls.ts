import { seg } from "../../../core/lookup";

export const domainsUrl = () => "/domains";
export const domainUrl = (id: string) => `/domains/${seg(id)}`;
