import { bind } from "../../core/bind";
import type { ServiceClient } from "../../core/service-client";
import * as zones from "./availability-zones/requests";
import * as flavors from "./flavors/requests";
import * as keypairs from "./keypairs/requests";
import * as quotas from "./quota-sets/requests";
import * as servers from "./servers/requests";
import * as attachments from "./volume-attachments/requests";

/** Nova v2.1 as one object of resources. */
export function computeApi(sc: ServiceClient) {
  return {
    flavors: bind(sc, {
      list: flavors.listFlavors,
      pages: flavors.flavorPages,
      get: flavors.getFlavor,
      findByName: flavors.findFlavorByName,
      extraSpecs: flavors.getFlavorExtraSpecs,
    }),
    servers: bind(sc, {
      list: servers.listServers,
      pages: servers.serverPages,
      get: servers.getServer,
      findByName: servers.findServerByName,
      create: servers.createServer,
      delete: servers.deleteServer,
      start: servers.startServer,
      stop: servers.stopServer,
      shelve: servers.shelveServer,
      unshelve: servers.unshelveServer,
      reboot: servers.rebootServer,
    }),
    keypairs: bind(sc, {
      list: keypairs.listKeypairs,
      pages: keypairs.keypairPages,
      get: keypairs.getKeypair,
      create: keypairs.createKeypair,
      delete: keypairs.deleteKeypair,
    }),
    quotaSets: bind(sc, {
      get: quotas.getQuotaSet,
      getDetail: quotas.getQuotaSetDetail,
      update: quotas.updateQuotaSet,
    }),
    availabilityZones: bind(sc, { list: zones.listAvailabilityZones }),
    volumeAttachments: bind(sc, {
      list: attachments.listVolumeAttachments,
      attach: attachments.attachVolume,
      detach: attachments.detachVolume,
    }),
    /** The negotiated compute microversion (null when Nova has none). */
    microversion: () => sc.microversion(),
  };
}
