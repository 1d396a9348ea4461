"use client";

import * as React from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "./dialog";

// Footer buttons wrap rather than push the dialog wider than the screen.
const FOOTER_BUTTON = "h-auto min-h-9 max-w-full whitespace-normal py-1.5 [overflow-wrap:anywhere]";

/**
 * The one "are you sure?" dialog: a title, what happens, an optional body (hidden inputs,
 * fields), the server's refusal, and Cancel + the confirm button.
 *
 * - With `form`, the body and footer are a `<form>` (give it `action` or `onSubmit`) and the
 *   confirm button submits it.
 * - Without, the confirm button calls `onConfirm`.
 * - Without `confirmLabel` only the Cancel button is shown (e.g. "Close" when nothing can be done).
 *
 * Long names in the title or body wrap; the buttons stay on screen.
 */
export function ConfirmDialog({
  trigger,
  open,
  onOpenChange,
  title,
  description,
  children,
  error,
  form,
  onConfirm,
  confirmLabel,
  pendingLabel,
  pending = false,
  confirmDisabled = false,
  destructive = false,
  cancelLabel = "Cancel",
  before,
  formRef,
}: {
  /** The element that opens the dialog (rendered `asChild`). */
  trigger: React.ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: React.ReactNode;
  description: React.ReactNode;
  children?: React.ReactNode;
  error?: string | null;
  form?: Omit<React.FormHTMLAttributes<HTMLFormElement>, "className" | "children" | "action"> & {
    action?: string | ((formData: FormData) => void | Promise<void>);
  };
  onConfirm?: () => void;
  confirmLabel?: React.ReactNode;
  pendingLabel?: React.ReactNode;
  pending?: boolean;
  confirmDisabled?: boolean;
  destructive?: boolean;
  cancelLabel?: string;
  /** Shown above the form, outside it (e.g. a "confirm your password" form of its own). */
  before?: React.ReactNode;
  formRef?: React.Ref<HTMLFormElement>;
}) {
  const body = (
    <>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {children}
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="secondary" className={FOOTER_BUTTON}>
            {cancelLabel}
          </Button>
        </DialogClose>
        {confirmLabel !== undefined ? (
          <Button
            type={form ? "submit" : "button"}
            variant={destructive ? "destructive" : "default"}
            className={FOOTER_BUTTON}
            disabled={pending || confirmDisabled}
            onClick={form ? undefined : onConfirm}
          >
            {pending ? (pendingLabel ?? "Working…") : confirmLabel}
          </Button>
        ) : null}
      </DialogFooter>
    </>
  );
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
        {before}
        {form ? (
          <form {...form} ref={formRef} className="grid min-w-0 gap-4">
            {body}
          </form>
        ) : (
          body
        )}
      </DialogContent>
    </Dialog>
  );
}
