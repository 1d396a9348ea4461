import { seg } from "../../../core/lookup";

export const imageMembersUrl = (imageId: string) => `/images/${seg(imageId)}/members`;
export const imageMemberUrl = (imageId: string, memberId: string) => `${imageMembersUrl(imageId)}/${seg(memberId)}`;
