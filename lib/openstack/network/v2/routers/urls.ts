import { seg } from "../../../core/lookup";

export const routersUrl = () => "/routers";
export const routerUrl = (id: string) => `/routers/${seg(id)}`;
export const addInterfaceUrl = (id: string) => `/routers/${seg(id)}/add_router_interface`;
export const removeInterfaceUrl = (id: string) => `/routers/${seg(id)}/remove_router_interface`;
