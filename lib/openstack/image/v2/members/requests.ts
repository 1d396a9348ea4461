import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import { imageMemberSchema, type ImageMember } from "./types";
import { imageMembersUrl, imageMemberUrl } from "./urls";

/** Lists the projects a shared image is offered to. GET /v2/images/{id}/members */
export async function listImageMembers(sc: ServiceClient, imageId: string): Promise<ImageMember[]> {
  return (await sc.getJson(imageMembersUrl(imageId), z.object({ members: z.array(imageMemberSchema) }))).members;
}

/** Offers a shared image to a project. POST /v2/images/{id}/members */
export async function addImageMember(sc: ServiceClient, imageId: string, projectId: string): Promise<ImageMember> {
  const res = await sc.request("POST", imageMembersUrl(imageId), { json: { member: projectId } });
  return sc.parse(imageMemberSchema, res);
}

/** Takes a shared image back from a project. DELETE /v2/images/{id}/members/{member} */
export async function removeImageMember(sc: ServiceClient, imageId: string, projectId: string): Promise<void> {
  await sc.request("DELETE", imageMemberUrl(imageId, projectId));
}
