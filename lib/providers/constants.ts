// Plain constants of the provider wizard, safe for client components: no zod, no Node modules
// (lib/providers/schemas.ts re-exports them for server code).

export const TOPOLOGIES = ["External Router Topology", "External Network Topology"] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export const WIZARD_STEPS = [
  { id: "connect", label: "Connect" },
  { id: "verify", label: "Verify" },
  { id: "network", label: "Network" },
  { id: "accounts", label: "Accounts" },
  { id: "deploy", label: "Deploy" },
  { id: "review", label: "Review" },
] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number]["id"];
