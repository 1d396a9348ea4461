import { bind } from "../../core/bind";
import type { ServiceClient } from "../../core/service-client";
import * as quotas from "./quota-sets/requests";
import * as volumes from "./volumes/requests";

/** Cinder v3 as one object of resources. */
export function blockStorageApi(sc: ServiceClient) {
  return {
    volumes: bind(sc, {
      list: volumes.listVolumes,
      pages: volumes.volumePages,
      get: volumes.getVolume,
      create: volumes.createVolume,
      delete: volumes.deleteVolume,
      waitForStatus: volumes.waitForVolumeStatus,
    }),
    quotaSets: bind(sc, {
      get: quotas.getVolumeQuotaSet,
      getUsage: quotas.getVolumeQuotaUsage,
      update: quotas.updateVolumeQuotaSet,
    }),
  };
}
