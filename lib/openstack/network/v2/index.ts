import { bind } from "../../core/bind";
import type { ServiceClient } from "../../core/service-client";
import * as floatingIps from "./floating-ips/requests";
import * as networks from "./networks/requests";
import * as ports from "./ports/requests";
import * as quotas from "./quotas/requests";
import * as routers from "./routers/requests";
import * as rules from "./security-group-rules/requests";
import * as groups from "./security-groups/requests";
import * as subnets from "./subnets/requests";

/** Neutron v2.0 as one object of resources. */
export function networkApi(sc: ServiceClient) {
  return {
    networks: bind(sc, {
      list: networks.listNetworks,
      pages: networks.networkPages,
      get: networks.getNetwork,
      findByName: networks.findNetworkByName,
      create: networks.createNetwork,
      delete: networks.deleteNetwork,
    }),
    subnets: bind(sc, {
      list: subnets.listSubnets,
      pages: subnets.subnetPages,
      get: subnets.getSubnet,
      findByName: subnets.findSubnetByName,
      create: subnets.createSubnet,
      delete: subnets.deleteSubnet,
    }),
    routers: bind(sc, {
      list: routers.listRouters,
      pages: routers.routerPages,
      get: routers.getRouter,
      findByName: routers.findRouterByName,
      create: routers.createRouter,
      setGateway: routers.setRouterGateway,
      clearGateway: routers.clearRouterGateway,
      addInterface: routers.addRouterInterface,
      removeInterface: routers.removeRouterInterface,
      delete: routers.deleteRouter,
    }),
    ports: bind(sc, {
      list: ports.listPorts,
      pages: ports.portPages,
      get: ports.getPort,
      create: ports.createPort,
      delete: ports.deletePort,
    }),
    floatingIps: bind(sc, {
      list: floatingIps.listFloatingIps,
      pages: floatingIps.floatingIpPages,
      get: floatingIps.getFloatingIp,
      create: floatingIps.createFloatingIp,
      associate: floatingIps.associateFloatingIp,
      disassociate: floatingIps.disassociateFloatingIp,
      release: floatingIps.releaseFloatingIp,
    }),
    securityGroups: bind(sc, {
      list: groups.listSecurityGroups,
      pages: groups.securityGroupPages,
      get: groups.getSecurityGroup,
      findByName: groups.findSecurityGroupByName,
      create: groups.createSecurityGroup,
      delete: groups.deleteSecurityGroup,
    }),
    securityGroupRules: bind(sc, {
      list: rules.listSecurityGroupRules,
      pages: rules.securityGroupRulePages,
      create: rules.createSecurityGroupRule,
      createMany: rules.createSecurityGroupRules,
      delete: rules.deleteSecurityGroupRule,
    }),
    quotas: bind(sc, {
      get: quotas.getNetworkQuota,
      getDetails: quotas.getNetworkQuotaDetails,
      update: quotas.updateNetworkQuota,
    }),
  };
}
