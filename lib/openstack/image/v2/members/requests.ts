import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import { imageMemberSchema, type ImageMember } from "./types";
import { imageMembersUrl } from "./urls";

/** Lists the projects a shared image is offered to. GET /v2/images/{id}/members */
export async function listImageMembers(sc: ServiceClient, imageId: string): Promise<ImageMember[]> {
  return (await sc.getJson(imageMembersUrl(imageId), z.object({ members: z.array(imageMemberSchema) }))).members;
}
