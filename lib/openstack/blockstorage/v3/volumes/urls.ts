import { seg } from "../../../core/lookup";

export const volumesUrl = () => "/volumes";
export const volumesDetailUrl = () => "/volumes/detail";
export const volumeUrl = (id: string) => `/volumes/${seg(id)}`;
