import { seg } from "../../../core/lookup";

export const serversUrl = () => "/servers";
export const serversDetailUrl = () => "/servers/detail";
export const serverUrl = (id: string) => `/servers/${seg(id)}`;
export const serverActionUrl = (id: string) => `/servers/${seg(id)}/action`;
