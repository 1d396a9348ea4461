import { seg } from "../../../core/lookup";

export const portsUrl = () => "/ports";
export const portUrl = (id: string) => `/ports/${seg(id)}`;
