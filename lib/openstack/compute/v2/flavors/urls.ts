import { seg } from "../../../core/lookup";

export const flavorsDetailUrl = () => "/flavors/detail";
export const flavorUrl = (id: string) => `/flavors/${seg(id)}`;
export const flavorExtraSpecsUrl = (id: string) => `/flavors/${seg(id)}/os-extra_specs`;
