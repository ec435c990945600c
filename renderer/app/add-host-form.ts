/** The "Add host" form's values and their validation against the contract's own schema. */
import { requestSchemas, type HostEntry, type RequestOf } from '../../shared/ipc/index.js';

/** The form as typed: every field a string. */
export interface AddHostFormValues {
  name: string;
  hostName: string;
  user: string;
  port: string;
  identityFile: string;
}

/** A form field. */
export type AddHostField = keyof AddHostFormValues;

/** An empty form. */
export const EMPTY_ADD_HOST_FORM: AddHostFormValues = { name: '', hostName: '', user: '', port: '', identityFile: '' };

/** Either a request ready to send, or one message per invalid field. */
export type AddHostValidation =
  | { ok: true; request: RequestOf<'hosts:add'> }
  | { ok: false; errors: Partial<Record<AddHostField, string>> };

/** Validates the form: the contract's schema, plus a port that is a number and a name not already taken. */
export function validateAddHost(values: AddHostFormValues, existing: readonly HostEntry[]): AddHostValidation {
  const errors: Partial<Record<AddHostField, string>> = {};
  const trimmed = {
    name: values.name.trim(),
    hostName: values.hostName.trim(),
    user: values.user.trim(),
    port: values.port.trim(),
    identityFile: values.identityFile.trim(),
  };
  const port = trimmed.port === '' ? undefined : /^\d+$/.test(trimmed.port) ? Number(trimmed.port) : Number.NaN;
  if (port !== undefined && Number.isNaN(port)) errors.port = 'The port is a number from 1 to 65535';

  const candidate = {
    name: trimmed.name,
    hostName: trimmed.hostName,
    ...(trimmed.user ? { user: trimmed.user } : {}),
    ...(port !== undefined && !Number.isNaN(port) ? { port } : {}),
    ...(trimmed.identityFile ? { identityFile: trimmed.identityFile } : {}),
  };
  const parsed = requestSchemas['hosts:add'].safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && field in EMPTY_ADD_HOST_FORM && !errors[field as AddHostField]) {
        errors[field as AddHostField] = friendlyMessage(field as AddHostField, issue.message, issue.code);
      }
    }
  }
  if (!errors.name && existing.some((host) => host.name === trimmed.name)) errors.name = `A host named ${trimmed.name} already exists`;

  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, request: parsed.data };
}

function friendlyMessage(field: AddHostField, message: string, code: string): string {
  if (code === 'too_small') {
    if (field === 'name') return 'A name is required';
    if (field === 'hostName') return 'A hostname or IP address is required';
    if (field === 'port') return 'The port is a number from 1 to 65535';
  }
  if (code === 'too_big' && field === 'port') return 'The port is a number from 1 to 65535';
  return message.charAt(0).toUpperCase() + message.slice(1);
}
