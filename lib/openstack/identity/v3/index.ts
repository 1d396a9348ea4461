import { bind } from "../../core/bind";
import type { ServiceClient } from "../../core/service-client";
import * as appCreds from "./application-credentials/requests";
import * as domains from "./domains/requests";
import * as federation from "./federation/requests";
import { ensureProject, ensureRoleAssignment, ensureUser } from "./ensure";
import * as projects from "./projects/requests";
import * as assignments from "./role-assignments/requests";
import * as roles from "./roles/requests";
import * as users from "./users/requests";

/** Keystone v3 as one object of resources. */
export function identityApi(sc: ServiceClient) {
  return {
    domains: bind(sc, { list: domains.listDomains, get: domains.getDomain, findByName: domains.findDomainByName }),
    projects: bind(sc, {
      list: projects.listProjects,
      pages: projects.projectPages,
      get: projects.getProject,
      findByName: projects.findProjectByName,
      create: projects.createProject,
      update: projects.updateProject,
      delete: projects.deleteProject,
    }),
    users: bind(sc, {
      list: users.listUsers,
      pages: users.userPages,
      get: users.getUser,
      findByName: users.findUserByName,
      create: users.createUser,
      update: users.updateUser,
      delete: users.deleteUser,
    }),
    roles: bind(sc, { list: roles.listRoles, get: roles.getRole, findByName: roles.findRoleByName, create: roles.createRole, delete: roles.deleteRole }),
    roleAssignments: bind(sc, {
      list: assignments.listRoleAssignments,
      grantOnProject: assignments.grantProjectRole,
      revokeFromProject: assignments.revokeProjectRole,
      checkOnProject: assignments.checkProjectRole,
    }),
    applicationCredentials: bind(sc, {
      list: appCreds.listApplicationCredentials,
      get: appCreds.getApplicationCredential,
      create: appCreds.createApplicationCredential,
      delete: appCreds.deleteApplicationCredential,
    }),
    federation: bind(sc, {
      listIdentityProviders: federation.listIdentityProviders,
      getIdentityProvider: federation.getIdentityProvider,
      createIdentityProvider: federation.createIdentityProvider,
      deleteIdentityProvider: federation.deleteIdentityProvider,
      listProtocols: federation.listProtocols,
      getProtocol: federation.getProtocol,
      createProtocol: federation.createProtocol,
      deleteProtocol: federation.deleteProtocol,
      listMappings: federation.listMappings,
      getMapping: federation.getMapping,
      createMapping: federation.createMapping,
      deleteMapping: federation.deleteMapping,
      createUser: federation.createFederatedUser,
      findUsers: federation.findFederatedUsers,
    }),
    ...bind(sc, { ensureProject, ensureUser, ensureRoleAssignment }),
  };
}
