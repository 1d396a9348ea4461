"use client";

import { useEffect, useRef, useState } from "react";
import { needsReauth, ReauthPrompt } from "@/components/auth/reauth-prompt";
import { Button, type ButtonProps } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/actions/errors";
import { useKeptForm } from "./use-kept-form";

type Result = { changed: boolean; message: string };

/**
 * A button that asks first: the dialog names the consequence, and the server's refusal (for
 * example "the last active superuser") is shown inside it. On success the dialog closes and
 * the outcome is announced next to the button.
 */
export function ConfirmActionDialog({
  action,
  fields,
  trigger,
  triggerVariant = "secondary",
  title,
  description,
  confirm,
  destructive = false,
}: {
  action: (prev: ActionResult<Result> | null, form: FormData) => Promise<ActionResult<Result>>;
  fields: Record<string, string | number | boolean>;
  trigger: string;
  triggerVariant?: ButtonProps["variant"];
  title: string;
  description: React.ReactNode;
  confirm: string;
  destructive?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reauth, setReauth] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const { state, pending, formProps } = useKeptForm(action);
  useEffect(() => {
    if (!state) return;
    setReauth(needsReauth(state));
    if (state.ok) {
      setOpen(false);
      setDone(state.data.message);
    } else if (state.error.code !== "reauth_required") {
      setError(state.error.message);
    }
  }, [state]);
  return (
    <div className="grid justify-items-start gap-2">
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (next) {
            setDone(null);
            setError(null);
            setReauth(false);
          }
        }}
        trigger={
          <Button variant={triggerVariant} size="sm">
            {trigger}
          </Button>
        }
        title={title}
        description={description}
        before={
          reauth && needsReauth(state) ? (
            <ReauthPrompt
              error={state.error}
              onConfirmed={() => {
                setReauth(false);
                formRef.current?.requestSubmit();
              }}
            />
          ) : null
        }
        form={formProps}
        formRef={formRef}
        error={error}
        confirmLabel={confirm}
        pending={pending}
        confirmDisabled={reauth}
        destructive={destructive}
      >
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={String(value)} />
        ))}
      </ConfirmDialog>
      {done ? (
        <p role="status" className="max-w-full text-xs text-emerald-700 [overflow-wrap:anywhere]">
          {done}
        </p>
      ) : null}
    </div>
  );
}
