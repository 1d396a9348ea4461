import { OpenStackError } from "@/lib/openstack/core/errors";
import { explanationText } from "./faults";
import type { CreatedResources, LaunchReport, Step, StepGroup, StepStatus } from "./types";

export type Snapshot = { steps: Step[]; report: LaunchReport };

/** A step failed; the run stops and cleans up. Carries the step's message. */
export class StepFailed extends Error {
  override name = "StepFailed";
  constructor(
    message: string,
    readonly step: Step,
  ) {
    super(message);
  }
}

/** OpenStack's own message for a failure (service, status, request id), else the error's text. */
export function messageOf(error: unknown): string {
  if (error instanceof OpenStackError) return error.message;
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Keeps a run's timeline and report, and hands a copy to `persist` after every change, in order,
 * so the page follows the run live and a reload loses nothing.
 */
export class Recorder {
  readonly steps: Step[] = [];
  readonly report: LaunchReport = { resources: {} };
  #queue: Promise<void> = Promise.resolve();
  #seq = 0;

  constructor(
    private readonly persist: (snapshot: Snapshot) => Promise<void> = async () => {},
    /** A stored run to continue (clean-up later, recovery after a crash). */
    initial?: Snapshot,
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (initial) {
      this.steps.push(...structuredClone(initial.steps));
      Object.assign(this.report, structuredClone(initial.report));
      this.report.resources ??= {};
      this.#seq = this.steps.length;
    }
  }

  now(): string {
    return this.clock().toISOString();
  }

  save(): void {
    const snapshot: Snapshot = structuredClone({ steps: this.steps, report: this.report });
    this.#queue = this.#queue.then(() => this.persist(snapshot)).catch((error) => {
      console.error(`[launch] could not store the run's progress: ${messageOf(error)}`);
    });
  }

  /** Waits until every change so far is stored. */
  flush(): Promise<void> {
    return this.#queue;
  }

  start(id: string, group: StepGroup, label: string, extra: Partial<Step> = {}): Step {
    const step: Step = { id: `${id}#${++this.#seq}`, group, label, status: "running", startedAt: this.now(), endedAt: null, ...extra };
    this.steps.push(step);
    this.save();
    return step;
  }

  finish(step: Step, status: Exclude<StepStatus, "running">, message?: string, explanation?: string): void {
    step.status = status;
    step.endedAt = this.now();
    if (message !== undefined) step.message = message;
    if (explanation !== undefined) step.explanation = explanation;
    this.save();
  }

  /** A step that did not run, with why. */
  skip(id: string, group: StepGroup, label: string, message: string): void {
    const at = this.now();
    this.steps.push({ id: `${id}#${++this.#seq}`, group, label, status: "skip", startedAt: at, endedAt: at, message });
    this.save();
  }

  /**
   * Runs `fn` as a step: pass with `describe(result)`, or fail with OpenStack's message and what
   * it usually means, then throw StepFailed so the run stops.
   */
  async run<T>(id: string, group: StepGroup, label: string, fn: () => Promise<T>, describe?: (value: T) => string | undefined): Promise<T> {
    const step = this.start(id, group, label);
    try {
      const value = await fn();
      this.finish(step, "pass", describe?.(value));
      return value;
    } catch (error) {
      if (error instanceof StepFailed) throw error;
      const message = messageOf(error);
      this.finish(step, "fail", message, explanationText(message));
      throw new StepFailed(message, step);
    }
  }

  resources(patch: Partial<CreatedResources>): void {
    this.report.resources = { ...this.report.resources, ...patch };
    this.save();
  }

  patch(patch: Partial<LaunchReport>): void {
    Object.assign(this.report, patch);
    this.save();
  }
}
