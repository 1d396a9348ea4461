// Tokens, passwords and application-credential secrets must never reach the browser bundle.
import "server-only";

export { createClient, discoverKeystone, OpenStackClient, type ClientOptions } from "./client";
export { optionsFromEnv } from "./env";
export type { ApplicationCredentialAuth, AuthOptions, IdentityDiscovery, PasswordAuth, TokenInfo } from "./core/auth";
export { Catalog, serviceTypeAliases, type CatalogEntry, type EndpointInterface } from "./core/catalog";
export {
  OpenStackCatalogError,
  OpenStackConfigError,
  OpenStackConnectionError,
  OpenStackError,
  OpenStackHttpError,
  OpenStackLookupError,
  OpenStackResponseError,
  isStatus,
  type ConnectionFailure,
} from "./core/errors";
export { inspectTls, type TlsInspection } from "./core/tls";
export {
  waitForServerStatus,
  type ServerTransition,
  type WaitForServerOptions,
  type WaitForServerResult,
} from "./compute/v2/servers/wait";

export type { ApplicationCredential, CreatedApplicationCredential } from "./identity/v3/application-credentials/types";
export type { Domain } from "./identity/v3/domains/types";
export type { Ensured, Ref } from "./identity/v3/ensure";
export type { Project } from "./identity/v3/projects/types";
export type { RoleAssignment } from "./identity/v3/role-assignments/types";
export type { Role } from "./identity/v3/roles/types";
export type { User } from "./identity/v3/users/types";
export type { AvailabilityZone } from "./compute/v2/availability-zones/types";
export type { Flavor } from "./compute/v2/flavors/types";
export type { Keypair } from "./compute/v2/keypairs/types";
export type { QuotaSet, QuotaSetDetail } from "./compute/v2/quota-sets/types";
export type { CreateServerOptions, Server, ServerFault } from "./compute/v2/servers/types";
export type { VolumeAttachment } from "./compute/v2/volume-attachments/types";
export type { Image } from "./image/v2/images/types";
export type { ImageMember } from "./image/v2/members/types";
export type { FloatingIp } from "./network/v2/floating-ips/types";
export type { Network } from "./network/v2/networks/types";
export type { Port } from "./network/v2/ports/types";
export type { Router } from "./network/v2/routers/types";
export type { SecurityGroupRule } from "./network/v2/security-group-rules/types";
export type { SecurityGroup } from "./network/v2/security-groups/types";
export type { Subnet } from "./network/v2/subnets/types";
export type { AllocationCandidates } from "./placement/v1/allocation-candidates/types";
export type { Inventories, Inventory, ResourceProvider, Usages } from "./placement/v1/resource-providers/types";
export type { Volume } from "./blockstorage/v3/volumes/types";
