import { z } from "zod";

export const resourceProviderSchema = z
  .looseObject({
    uuid: z.string(),
    name: z.string(),
    generation: z.number(),
    parent_provider_uuid: z.string().nullish(),
    root_provider_uuid: z.string().nullish(),
  })
  .transform((p) => ({
    uuid: p.uuid,
    /** For compute nodes, the hypervisor host name. */
    name: p.name,
    generation: p.generation,
    parentProviderUuid: p.parent_provider_uuid ?? null,
    rootProviderUuid: p.root_provider_uuid ?? p.uuid,
    raw: p,
  }));

export type ResourceProvider = z.output<typeof resourceProviderSchema>;

const inventorySchema = z
  .looseObject({
    total: z.number(),
    reserved: z.number().default(0),
    min_unit: z.number().default(1),
    max_unit: z.number(),
    step_size: z.number().default(1),
    allocation_ratio: z.number().default(1),
  })
  .transform((i) => ({
    total: i.total,
    reserved: i.reserved,
    minUnit: i.min_unit,
    maxUnit: i.max_unit,
    stepSize: i.step_size,
    allocationRatio: i.allocation_ratio,
    /** What the scheduler can hand out: (total − reserved) × allocation ratio. */
    capacity: Math.floor((i.total - i.reserved) * i.allocation_ratio),
  }));

export type Inventory = z.output<typeof inventorySchema>;

/** Keyed by resource class (VCPU, MEMORY_MB, DISK_GB, CUSTOM_…). */
export const inventoriesSchema = z
  .looseObject({ resource_provider_generation: z.number(), inventories: z.record(z.string(), inventorySchema) })
  .transform((b) => ({ generation: b.resource_provider_generation, inventories: b.inventories }));

export type Inventories = z.output<typeof inventoriesSchema>;

/** Keyed by resource class. */
export const usagesSchema = z
  .looseObject({ resource_provider_generation: z.number(), usages: z.record(z.string(), z.number()) })
  .transform((b) => ({ generation: b.resource_provider_generation, usages: b.usages }));

export type Usages = z.output<typeof usagesSchema>;

export interface ListResourceProvidersOptions {
  name?: string;
  uuid?: string;
  /** Providers in the tree rooted at this provider. */
  inTree?: string;
  /** Providers with capacity for these amounts, e.g. { VCPU: 2, MEMORY_MB: 4096 }. */
  resources?: Record<string, number>;
}

/** Aggregate uuids of a provider (microversion ≥ 1.1; the generation from 1.19). */
export const aggregatesSchema = z
  .looseObject({ aggregates: z.array(z.string()), resource_provider_generation: z.number().optional() })
  .transform((b) => ({ aggregates: b.aggregates, generation: b.resource_provider_generation ?? null }));

export type Aggregates = z.output<typeof aggregatesSchema>;

/** Trait names of a provider (microversion ≥ 1.6). */
export const traitsSchema = z
  .looseObject({ traits: z.array(z.string()), resource_provider_generation: z.number() })
  .transform((b) => ({ traits: b.traits, generation: b.resource_provider_generation }));

export type Traits = z.output<typeof traitsSchema>;
