import { z } from "zod";

export const keypairSchema = z
  .looseObject({
    name: z.string(),
    public_key: z.string(),
    fingerprint: z.string().nullish(),
    type: z.string().nullish(),
    user_id: z.string().nullish(),
    created_at: z.string().nullish(),
    // Only when Nova generated the key (no public key given): shown once.
    private_key: z.string().nullish(),
  })
  .transform((k) => ({
    name: k.name,
    publicKey: k.public_key,
    fingerprint: k.fingerprint ?? null,
    type: k.type ?? "ssh",
    userId: k.user_id ?? null,
    createdAt: k.created_at ? new Date(k.created_at) : null,
    raw: k,
  }));

export type Keypair = z.output<typeof keypairSchema>;

/** The list wraps every item in its own `keypair` key. */
export const keypairListItemSchema = z.object({ keypair: keypairSchema }).transform((w) => w.keypair);

export interface CreateKeypairOptions {
  name: string;
  /** Nova generates a key pair and returns its private key when omitted. */
  publicKey?: string;
  type?: "ssh" | "x509";
}
