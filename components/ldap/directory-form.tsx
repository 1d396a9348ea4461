"use client";

import { useActionState, useRef, useState, useTransition } from "react";
import { needsReauth, ReauthPrompt } from "@/components/auth/reauth-prompt";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";
import type { DirectorySaved, DirectoryTested } from "@/lib/ldap/actions";

type FormAction<T> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

/** What the form shows of a stored directory (never the password). */
export type DirectoryFormValues = {
  id?: number;
  name: string;
  url: string;
  bindDn: string;
  baseDn: string;
  groupFilter: string;
  usernameAttribute: string;
  caBundle: string | null;
  hasPassword: boolean;
};

export const NEW_DIRECTORY: DirectoryFormValues = {
  name: "",
  url: "ldaps://",
  bindDn: "",
  baseDn: "",
  groupFilter: "(objectClass=groupOfNames)",
  usernameAttribute: "uid",
  caBundle: null,
  hasPassword: false,
};

/** Add or edit one directory; "Test connection" binds with what is typed (a blank password: the stored one). */
export function DirectoryForm({
  values,
  save,
  test,
  remove,
  readOnly = false,
}: {
  values: DirectoryFormValues;
  save: FormAction<DirectorySaved>;
  test: FormAction<DirectoryTested>;
  remove?: FormAction<{ message: string }>;
  /** Staff: the saved settings, testable as they are, not editable. */
  readOnly?: boolean;
}) {
  const [state, dispatch, pending] = useActionState(save, null);
  const [tested, setTested] = useState<ActionResult<DirectoryTested> | null>(null);
  const [testing, startTest] = useTransition();
  const [removed, dispatchRemove, removing] = useActionState(remove ?? (async () => ({ ok: false, error: { code: "internal", message: "" } }) as ActionResult<{ message: string }>), null);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = (state && !state.ok ? state.error.fieldErrors : undefined) ?? (tested && !tested.ok ? tested.error.fieldErrors : undefined);
  const key = values.id ? `d${values.id}` : "new";
  const fid = (name: string) => `${key}-${name}`;

  const runTest = () => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    startTest(async () => setTested(await test(null, data)));
  };

  if (removed?.ok) return <Alert tone="success">{removed.data.message}</Alert>;
  const ro = readOnly ? { readOnly: true, "aria-readonly": true } : {};

  return (
    <>
      {needsReauth(state) ? <ReauthPrompt error={state.error} onConfirmed={() => formRef.current?.requestSubmit()} /> : null}
      {removed && !removed.ok && removed.error.code === "reauth_required" ? <ReauthPrompt error={removed.error} onConfirmed={() => formRef.current?.querySelector<HTMLButtonElement>("button[data-delete]")?.click()} /> : null}
      <form ref={formRef} action={dispatch} className="grid gap-4" noValidate aria-label={values.id ? `Directory ${values.name}` : "New directory"}>
        {values.id ? <input type="hidden" name="id" value={values.id} /> : null}
        {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
        {state && !state.ok && state.error.code !== "reauth_required" ? <Alert tone="error">{state.error.message}</Alert> : null}
        <div className="grid gap-4 md:grid-cols-2">
          <Field id={fid("name")} label="Name" hint="How operators pick it on a provider's Accounts page." error={errors?.name}>
            <Input id={fid("name")} name="name" {...ro} defaultValue={values.name} placeholder="Campus directory" />
          </Field>
          <Field id={fid("url")} label="Directory URL" hint="ldaps://host:636, or ldap://host:389 (upgraded with StartTLS unless it is this machine). Certificates are always verified." error={errors?.url}>
            <Input id={fid("url")} name="url" {...ro} defaultValue={values.url} spellCheck={false} />
          </Field>
          <Field id={fid("bindDn")} label="Bind DN" hint="A read-only account, e.g. cn=cloudport,ou=services,dc=example,dc=org" error={errors?.bindDn}>
            <Input id={fid("bindDn")} name="bindDn" {...ro} defaultValue={values.bindDn} spellCheck={false} autoComplete="off" />
          </Field>
          {readOnly ? null : (
          <Field
            id={fid("bindPassword")}
            label="Bind password"
            hint={values.hasPassword ? "A password is stored (encrypted). Leave this empty to keep it." : "Stored encrypted; never shown again."}
            error={errors?.bindPassword}
          >
            <Input id={fid("bindPassword")} name="bindPassword" type="password" autoComplete="new-password" defaultValue="" />
          </Field>
          )}
          <Field id={fid("baseDn")} label="Base DN" hint="Where groups are searched, e.g. ou=groups,dc=example,dc=org" error={errors?.baseDn}>
            <Input id={fid("baseDn")} name="baseDn" {...ro} defaultValue={values.baseDn} spellCheck={false} />
          </Field>
          <Field id={fid("groupFilter")} label="Group filter" hint="Which entries are groups; the group's cn is added to it." error={errors?.groupFilter}>
            <Input id={fid("groupFilter")} name="groupFilter" {...ro} defaultValue={values.groupFilter} spellCheck={false} />
          </Field>
          <Field id={fid("usernameAttribute")} label="Username attribute" hint="The member attribute that becomes the portal and Keystone username, e.g. uid." error={errors?.usernameAttribute}>
            <Input id={fid("usernameAttribute")} name="usernameAttribute" {...ro} defaultValue={values.usernameAttribute} spellCheck={false} />
          </Field>
        </div>
        <Field id={fid("caBundle")} label="CA bundle (optional)" hint="PEM certificates of a private CA; empty: the system CAs." error={errors?.caBundle}>
          <Textarea id={fid("caBundle")} name="caBundle" {...ro} defaultValue={values.caBundle ?? ""} rows={3} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" />
        </Field>
        {tested?.ok ? <Alert tone="success">{tested.data.message}</Alert> : null}
        {tested && !tested.ok ? <Alert tone="error">{tested.error.message}</Alert> : null}
        <div className="flex flex-wrap items-center gap-3">
          {readOnly ? null : (
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : values.id ? "Save directory" : "Add directory"}
            </Button>
          )}
          <Button type="button" variant="secondary" disabled={testing} onClick={runTest}>
            {testing ? "Testing…" : "Test connection"}
          </Button>
          {values.id && remove && !readOnly ? (
            <Button
              data-delete
              type="submit"
              variant="secondary"
              formAction={dispatchRemove}
              formNoValidate
              disabled={removing}
              onClick={(e) => {
                if (!window.confirm(`Delete the directory "${values.name}"? Accounts provisioned from its groups stay; its group syncs stop.`)) e.preventDefault();
              }}
            >
              {removing ? "Deleting…" : "Delete"}
            </Button>
          ) : null}
        </div>
        {removed && !removed.ok && removed.error.message && removed.error.code !== "reauth_required" ? <Alert tone="error">{removed.error.message}</Alert> : null}
      </form>
    </>
  );
}
