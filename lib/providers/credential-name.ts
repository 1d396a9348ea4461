/** Keystone application credential names allow letters, digits and - _ . ; the provider name may have spaces. */
export function credentialName(providerName: string, at?: Date): string {
  const base = `cloudport-${providerName.trim().replace(/[^A-Za-z0-9._-]+/g, "-")}`;
  return at ? `${base}-${at.toISOString().slice(0, 16).replace(/[-:T]/g, "")}` : base;
}
