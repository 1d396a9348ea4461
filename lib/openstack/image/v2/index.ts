import { bind } from "../../core/bind";
import type { ServiceClient } from "../../core/service-client";
import * as images from "./images/requests";
import * as members from "./members/requests";

/** Glance v2 as one object of resources. */
export function imageApi(sc: ServiceClient) {
  return {
    images: bind(sc, {
      list: images.listImages,
      pages: images.imagePages,
      get: images.getImage,
      findByName: images.findImageByName,
      create: images.createImage,
      delete: images.deleteImage,
    }),
    members: bind(sc, { list: members.listImageMembers, add: members.addImageMember, remove: members.removeImageMember }),
  };
}
