// Every job kind this version of Cloudport can run. Features add their handlers here.
import { registerImportJobHandlers } from "@/lib/imports/jobs";
import { registerJobHandler } from "./runner";

let registered = false;

export function registerAllJobHandlers(): void {
  if (registered) return;
  registered = true;
  registerJobHandler("noop", async () => ({ ok: true }));
  registerImportJobHandlers();
}
