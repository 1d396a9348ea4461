import { seg } from "../../../core/lookup";

export const networksUrl = () => "/networks";
export const networkUrl = (id: string) => `/networks/${seg(id)}`;
