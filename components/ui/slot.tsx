import * as React from "react";
import { cn } from "@/lib/utils";

type AnyProps = Record<string, unknown>;

/** Both refs get the node (React 19 passes refs as props). */
function mergeRefs(...refs: unknown[]): React.RefCallback<unknown> {
  return (node) => {
    for (const ref of refs) {
      if (typeof ref === "function") ref(node);
      else if (ref && typeof ref === "object" && "current" in ref) (ref as React.RefObject<unknown>).current = node;
    }
  };
}

/**
 * `asChild`: renders its one child element with these props merged in: the child's own props win,
 * except that event handlers both run (the child's first), classes join and styles merge.
 */
export function Slot({ children, ...slotProps }: AnyProps & { children?: React.ReactNode }) {
  if (!React.isValidElement(children)) return null;
  const child = children as React.ReactElement<AnyProps>;
  const childProps = child.props;
  const merged: AnyProps = { ...slotProps };
  for (const [key, value] of Object.entries(childProps)) {
    const own = slotProps[key];
    if (/^on[A-Z]/.test(key) && typeof own === "function" && typeof value === "function") {
      merged[key] = (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown)(...args);
        (own as (...a: unknown[]) => unknown)(...args);
        return result;
      };
    } else if (key === "style") merged.style = { ...(own as object), ...(value as object) };
    else if (key === "className") merged.className = cn(own as string, value as string);
    else if (key !== "ref") merged[key] = value;
  }
  if (slotProps.ref || childProps.ref) merged.ref = slotProps.ref && childProps.ref ? mergeRefs(slotProps.ref, childProps.ref) : (childProps.ref ?? slotProps.ref);
  return React.cloneElement(child, merged);
}
