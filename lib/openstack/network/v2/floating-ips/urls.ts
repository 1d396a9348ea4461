import { seg } from "../../../core/lookup";

export const floatingIpsUrl = () => "/floatingips";
export const floatingIpUrl = (id: string) => `/floatingips/${seg(id)}`;
