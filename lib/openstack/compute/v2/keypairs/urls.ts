import { seg } from "../../../core/lookup";

export const keypairsUrl = () => "/os-keypairs";
export const keypairUrl = (name: string) => `/os-keypairs/${seg(name)}`;
