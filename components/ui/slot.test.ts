import * as React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Slot } from "./slot";

const h = React.createElement;

describe("Slot (asChild)", () => {
  it("renders the child with the slot's props: classes join, the child's own props win", () => {
    const html = renderToStaticMarkup(h(Slot, { className: "a", title: "slot", "aria-haspopup": "dialog" }, h("a", { href: "/x", className: "b", title: "child" }, "go")));
    expect(html).toBe('<a href="/x" class="a b" title="child" aria-haspopup="dialog">go</a>');
  });

  it("runs both click handlers, the child's first, and gives both refs the node", () => {
    const calls: string[] = [];
    const element = Slot({ onClick: () => calls.push("slot"), children: h("button", { type: "button", onClick: () => calls.push("child") }) }) as React.ReactElement<{ onClick: () => void }>;
    element.props.onClick();
    expect(calls).toEqual(["child", "slot"]);

    const a = React.createRef<unknown>();
    const seen: unknown[] = [];
    const withRefs = Slot({ ref: a, children: h("button", { type: "button", ref: (n: unknown) => void seen.push(n) }) }) as React.ReactElement<{ ref: (n: unknown) => void }>;
    withRefs.props.ref("node");
    expect([a.current, seen]).toEqual(["node", ["node"]]);
  });

  it("renders nothing without a single element child", () => {
    expect(renderToStaticMarkup(h(Slot, null, "text"))).toBe("");
  });
});
