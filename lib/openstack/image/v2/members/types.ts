import { z } from "zod";

export const imageMemberSchema = z
  .looseObject({
    member_id: z.string(),
    image_id: z.string(),
    status: z.string(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
  })
  .transform((m) => ({
    /** The project the image is shared with. */
    memberId: m.member_id,
    imageId: m.image_id,
    /** pending, accepted or rejected. */
    status: m.status,
    createdAt: m.created_at ? new Date(m.created_at) : null,
    updatedAt: m.updated_at ? new Date(m.updated_at) : null,
    raw: m,
  }));

export type ImageMember = z.output<typeof imageMemberSchema>;
