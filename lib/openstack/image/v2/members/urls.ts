import { seg } from "../../../core/lookup";

export const imageMembersUrl = (imageId: string) => `/images/${seg(imageId)}/members`;
