import { z } from "zod";

// Input of the launch-test actions. Pure, shared by the server actions and the form.

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const id = (message: string) => z.coerce.number({ message }).int(message).positive(message);

/** OpenSSH public key line types Nova accepts. */
const PUBLIC_KEY = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;

export const MAX_USER_DATA = 16_384;

export const startRunSchema = z.object({
  kind: z.enum(["launch", "readiness"]).default("launch"),
  providerId: id("Choose a provider."),
  identityId: id("Choose the account to launch as."),
  imageId: z.string({ message: "Choose an image." }).trim().min(1, "Choose an image."),
  flavorId: z.string({ message: "Choose a size." }).trim().min(1, "Choose a size."),
  networkId: z.string({ message: "Choose a network." }).trim().min(1, "Choose a network."),
  networkName: z.preprocess(blankToUndefined, z.string().trim().max(255).optional()),
  publicKey: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(16_384, "That is too long for a public key.")
      .regex(PUBLIC_KEY, "Paste one OpenSSH public key line, e.g. ssh-ed25519 AAAAC3… you@host (not the private key).")
      .optional(),
  ),
  userData: z.preprocess(blankToUndefined, z.string().max(MAX_USER_DATA, `Keep user data under ${MAX_USER_DATA / 1024} KB.`).optional()),
  cleanup: z.enum(["auto", "manual"]).default("auto"),
  sshWaitSeconds: z.coerce.number().int().min(0, "0 to 300 seconds.").max(300, "0 to 300 seconds.").default(20),
});
export type StartRunInput = z.output<typeof startRunSchema>;

export const runIdSchema = z.object({ runId: id("This run link is broken.") });
