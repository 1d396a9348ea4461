import { seg } from "../../../core/lookup";

export const resourceProvidersUrl = () => "/resource_providers";
export const resourceProviderUrl = (uuid: string) => `/resource_providers/${seg(uuid)}`;
export const inventoriesUrl = (uuid: string) => `/resource_providers/${seg(uuid)}/inventories`;
export const usagesUrl = (uuid: string) => `/resource_providers/${seg(uuid)}/usages`;
export const aggregatesUrl = (uuid: string) => `/resource_providers/${seg(uuid)}/aggregates`;
export const traitsUrl = (uuid: string) => `/resource_providers/${seg(uuid)}/traits`;
