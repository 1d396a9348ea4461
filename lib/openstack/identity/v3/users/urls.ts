import { seg } from "../../../core/lookup";

export const usersUrl = () => "/users";
export const userUrl = (id: string) => `/users/${seg(id)}`;
