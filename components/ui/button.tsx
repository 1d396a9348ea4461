import { Slot } from "./slot";
import { cva, type VariantProps } from "class-variance-authority";
import * as React from "react";
import { cn } from "@/lib/utils";

const buttonVariants = cva(
  // globals.css: the shape every button shares.
  "btn",
  {
    variants: {
      variant: {
        default: "btn-default",
        secondary: "btn-secondary",
        ghost: "btn-ghost",
        destructive: "btn-destructive",
        link: "btn-link",
      },
      size: { default: "btn-md", sm: "btn-sm", lg: "btn-lg", icon: "btn-icon" },
    },
    defaultVariants: { variant: "default", size: "default" },
  },
);

export type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> &
  VariantProps<typeof buttonVariants> & { asChild?: boolean };

export function Button({ className, variant, size, asChild = false, ...props }: ButtonProps) {
  const Comp = asChild ? Slot : "button";
  return <Comp className={cn(buttonVariants({ variant, size }), className)} {...props} />;
}

export { buttonVariants };
