import { seg } from "../../../core/lookup";

export const imagesUrl = () => "/images";
export const imageUrl = (id: string) => `/images/${seg(id)}`;
