import { federationId } from "@/lib/domain/federation";
import { seg } from "../../../core/lookup";

// Every id is checked against Keystone's id charset before it becomes part of a path.
export const idpsUrl = () => "/OS-FEDERATION/identity_providers";
export const idpUrl = (idp: string) => `${idpsUrl()}/${seg(federationId(idp, "The identity provider id"))}`;
export const protocolsUrl = (idp: string) => `${idpUrl(idp)}/protocols`;
export const protocolUrl = (idp: string, protocol: string) => `${protocolsUrl(idp)}/${seg(federationId(protocol, "The protocol id"))}`;
export const mappingsUrl = () => "/OS-FEDERATION/mappings";
export const mappingUrl = (id: string) => `${mappingsUrl()}/${seg(federationId(id, "The mapping id"))}`;
