import type { ServiceClient } from "./service-client";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Request = (sc: ServiceClient, ...args: any[]) => any;

export type Bound<F extends Record<string, Request>> = {
  [K in keyof F]: F[K] extends (sc: ServiceClient, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/** Turns request functions taking a ServiceClient first into methods of one service. */
export function bind<F extends Record<string, Request>>(sc: ServiceClient, requests: F): Bound<F> {
  return Object.fromEntries(
    Object.entries(requests).map(([name, fn]) => [name, (...args: unknown[]) => fn(sc, ...args)]),
  ) as Bound<F>;
}
