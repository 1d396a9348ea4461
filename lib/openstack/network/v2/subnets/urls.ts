import { seg } from "../../../core/lookup";

export const subnetsUrl = () => "/subnets";
export const subnetUrl = (id: string) => `/subnets/${seg(id)}`;
