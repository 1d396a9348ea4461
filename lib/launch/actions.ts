// Action definitions; the routes' "use server" actions.ts files wrap them with defineAction/defineFormAction.
import { revalidatePath } from "next/cache";
import { actionDefinition } from "@/lib/actions/safe-action";
import { runIdSchema, startRunSchema } from "@/lib/launch/schemas";
import { cancelLaunchRun, repeatLaunchRun, requestCleanup, startLaunchRun } from "@/lib/launch/service";

function refresh(providerId?: number) {
  revalidatePath("/launch-test");
  if (providerId) revalidatePath(`/providers/${providerId}/launch-test`);
}

export const startLaunchTest = actionDefinition({
  name: "startLaunchTest",
  permission: "launch_tests.run",
  input: startRunSchema,
  async handler(input, ctx) {
    const { id, jobId } = await startLaunchRun(ctx.db, ctx.user.id, input);
    await ctx.audit({
      action: input.kind === "readiness" ? "launch_test.readiness.start" : "launch_test.start",
      targetType: "launch_test",
      targetId: id,
      details: {
        providerId: input.providerId,
        identityId: input.identityId,
        imageId: input.imageId,
        flavorId: input.flavorId,
        networkId: input.networkId,
        keyPair: Boolean(input.publicKey),
        userData: Boolean(input.userData),
        cleanup: input.cleanup,
        jobId,
      },
    });
    refresh(input.providerId);
    return { id, jobId };
  },
});

export const repeatLaunchTest = actionDefinition({
  name: "repeatLaunchTest",
  permission: "launch_tests.run",
  input: runIdSchema,
  async handler({ runId }, ctx) {
    const { id, jobId, providerId } = await repeatLaunchRun(ctx.db, ctx.user.id, runId);
    await ctx.audit({ action: "launch_test.repeat", targetType: "launch_test", targetId: id, details: { repeatOf: runId, providerId, jobId } });
    refresh(providerId);
    return { id };
  },
});

export const cleanupLaunchTest = actionDefinition({
  name: "cleanupLaunchTest",
  permission: "launch_tests.run",
  input: runIdSchema,
  async handler({ runId }, ctx) {
    const { jobId } = await requestCleanup(ctx.db, ctx.user.id, runId);
    await ctx.audit({ action: "launch_test.cleanup", targetType: "launch_test", targetId: runId, details: { jobId } });
    return { jobId };
  },
});

export const cancelLaunchTest = actionDefinition({
  name: "cancelLaunchTest",
  permission: "launch_tests.run",
  input: runIdSchema,
  async handler({ runId }, ctx) {
    const r = await cancelLaunchRun(ctx.db, runId);
    await ctx.audit({ action: "launch_test.cancel", targetType: "launch_test", targetId: runId, details: r });
    return r;
  },
});
