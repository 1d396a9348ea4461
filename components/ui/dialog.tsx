"use client";

import { Slot } from "./slot";
import { X } from "lucide-react";
import * as React from "react";
import { cn } from "@/lib/utils";

// The browser's own modal <dialog>: showModal() makes the rest of the page inert (focus stays
// inside, screen readers see only the dialog), Escape closes it, and it sits in the top layer.
// The content is mounted only while open, so a dialog opens fresh every time; on close focus
// goes back to what opened it. (A dialog library was 12 KB of every page that has a dialog.)

type DialogState = {
  open: boolean;
  setOpen: (open: boolean) => void;
  titleId: string;
  descriptionId: string;
  trigger: React.RefObject<HTMLElement | null>;
};

const DialogContext = React.createContext<DialogState | null>(null);

function useDialog(part: string): DialogState {
  const state = React.useContext(DialogContext);
  if (!state) throw new Error(`${part} must be inside a <Dialog>.`);
  return state;
}

/** Controlled (`open` + `onOpenChange`) or not. */
export function Dialog({ open: controlled, onOpenChange, defaultOpen = false, children }: { open?: boolean; onOpenChange?: (open: boolean) => void; defaultOpen?: boolean; children: React.ReactNode }) {
  const [own, setOwn] = React.useState(defaultOpen);
  const open = controlled ?? own;
  const trigger = React.useRef<HTMLElement | null>(null);
  const id = React.useId();
  const setOpen = React.useCallback(
    (next: boolean) => {
      if (controlled === undefined) setOwn(next);
      onOpenChange?.(next);
    },
    [controlled, onOpenChange],
  );
  const value = React.useMemo(() => ({ open, setOpen, titleId: `${id}-title`, descriptionId: `${id}-description`, trigger }), [open, setOpen, id]);
  return <DialogContext.Provider value={value}>{children}</DialogContext.Provider>;
}

/** Opens the dialog; with `asChild` the child element is the button. */
export function DialogTrigger({ asChild, onClick, ...props }: React.ComponentProps<"button"> & { asChild?: boolean }) {
  const { open, setOpen, trigger } = useDialog("DialogTrigger");
  const Comp = asChild ? Slot : "button";
  return (
    <Comp
      ref={trigger as React.Ref<HTMLButtonElement>}
      type={asChild ? undefined : "button"}
      aria-haspopup="dialog"
      aria-expanded={open}
      onClick={(e: React.MouseEvent<HTMLButtonElement>) => {
        onClick?.(e);
        if (!e.defaultPrevented) setOpen(true);
      }}
      {...props}
    />
  );
}

/** Closes the dialog; with `asChild` the child element is the button. */
export function DialogClose({ asChild, onClick, ...props }: React.ComponentProps<"button"> & { asChild?: boolean }) {
  const { setOpen } = useDialog("DialogClose");
  const Comp = asChild ? Slot : "button";
  return (
    <Comp
      type={asChild ? undefined : "button"}
      onClick={(e: React.MouseEvent<HTMLButtonElement>) => {
        onClick?.(e);
        if (!e.defaultPrevented) setOpen(false);
      }}
      {...props}
    />
  );
}

/** The modal panel; always give it a DialogTitle (screen readers announce it). */
export function DialogContent({ className, children, ...props }: React.ComponentProps<"dialog">) {
  const { open } = useDialog("DialogContent");
  return open ? (
    <OpenDialog className={className} {...props}>
      {children}
    </OpenDialog>
  ) : null;
}

function OpenDialog({ className, children, ...props }: React.ComponentProps<"dialog">) {
  const { setOpen, titleId, descriptionId, trigger } = useDialog("DialogContent");
  const ref = React.useRef<HTMLDialogElement>(null);
  React.useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = trigger.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      // Back to the button that opened it, if it is still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, [trigger]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      // Escape is the browser's "cancel": close through our state so React stays in charge.
      onCancel={(e) => {
        e.preventDefault();
        setOpen(false);
      }}
      // A click on the backdrop (the dialog element itself, outside its content box) closes it.
      onMouseDown={(e) => {
        if (e.target !== ref.current) return;
        const r = ref.current.getBoundingClientRect();
        const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
        if (!inside) setOpen(false);
      }}
      className={cn(
        "dialog-panel",
        className,
      )}
      {...props}
    >
      {children}
      <DialogClose className="absolute right-3 top-3 rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800" aria-label="Close">
        <X aria-hidden className="h-4 w-4" />
      </DialogClose>
    </dialog>
  );
}

export function DialogTitle({ className, ...props }: React.ComponentProps<"h2">) {
  const { titleId } = useDialog("DialogTitle");
  return <h2 id={titleId} className={cn("dialog-title", className)} {...props} />;
}

export function DialogDescription({ className, ...props }: React.ComponentProps<"p">) {
  const { descriptionId } = useDialog("DialogDescription");
  return <p id={descriptionId} className={cn("dialog-description", className)} {...props} />;
}

export function DialogFooter({ className, ...props }: React.HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("dialog-footer", className)} {...props} />;
}
