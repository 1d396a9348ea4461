import { seg } from "../../../core/lookup";

export const projectsUrl = () => "/projects";
export const projectUrl = (id: string) => `/projects/${seg(id)}`;
