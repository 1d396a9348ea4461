// Accounts on a provider: the public surface for other features (launch test, users page,
// scripts). Server actions are in ./actions ("use server"); UI is in components/accounts.
export { identityClientOptions, accountSettingsOf, domainIsId, type AccountSettings, type IdentityRef } from "./config";
export { openProvider, loadProviderWithSecrets, adminClientOptions } from "./connection";
export { prepareProvisioning, provisionAccount, type ProvisionEnv, type ProvisionOutcome } from "./provision";
export { prepareRemoval, removeAccount, type RemoveEnv } from "./remove";
export { runProvisionBatch, runRemoveBatch, type BatchCounts, type UserStatus } from "./batch";
export { ACCOUNT_JOB_KINDS, PROVISION_JOB, REMOVE_JOB } from "./jobs";
export { startProvisioning, startRemoval, openrcForAccount } from "./service";
export { listProviderAccounts, listCandidateUsers, getAccount, getOrCreateIdentity, ensurePortalUsers } from "./queries";
export { planProvisioning, PROVISION_STEPS, REMOVE_STEPS, stepLabel } from "./steps";
export { chooseSubnetCidr } from "./subnet-choice";
export { buildOpenrc } from "./openrc";
