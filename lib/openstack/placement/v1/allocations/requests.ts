import type { ServiceClient } from "../../../core/service-client";
import { consumerAllocationsSchema, type ConsumerAllocations } from "./types";
import { allocationsUrl } from "./urls";

/**
 * Gets what a consumer (for Nova, a server's uuid) holds, per resource provider; empty when it
 * holds nothing. GET /allocations/{consumer_uuid}
 */
export async function getConsumerAllocations(sc: ServiceClient, consumerUuid: string): Promise<ConsumerAllocations> {
  return sc.getJson(allocationsUrl(consumerUuid), consumerAllocationsSchema);
}
