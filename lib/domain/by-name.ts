/**
 * An empty record keyed by names from outside (usernames, cloud resource names) with no
 * prototype: a key such as `__proto__` or `constructor` is an entry like any other, instead of
 * replacing the object's prototype (and vanishing from its JSON) or reading Object.prototype.
 */
export function byName<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
