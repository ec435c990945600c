/** The "Add host" form: a host by hand, for machines not in ~/.ssh/config. */
import { useState, type FormEvent } from 'react';
import { useCommands } from '../app/commands-context.js';
import { EMPTY_ADD_HOST_FORM, validateAddHost, type AddHostField, type AddHostFormValues } from '../app/add-host-form.js';
import { useHosts } from '../store/hooks.js';

const FIELDS: readonly { field: AddHostField; label: string; testId: string; placeholder: string }[] = [
  { field: 'name', label: 'Name', testId: 'add-host-name', placeholder: 'gateway' },
  { field: 'hostName', label: 'Hostname', testId: 'add-host-hostname', placeholder: '192.168.1.20' },
  { field: 'user', label: 'User', testId: 'add-host-user', placeholder: 'optional' },
  { field: 'port', label: 'Port', testId: 'add-host-port', placeholder: '22' },
  { field: 'identityFile', label: 'Identity file', testId: 'add-host-identity', placeholder: '~/.ssh/id_ed25519' },
];

/** The form; on success the new host is added to the list and ticked. */
export function AddHostForm() {
  const commands = useCommands();
  const hosts = useHosts();
  const [values, setValues] = useState<AddHostFormValues>(EMPTY_ADD_HOST_FORM);
  const [errors, setErrors] = useState<Partial<Record<AddHostField, string>>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validateAddHost(values, hosts);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    const added = await commands.addHost(result.request);
    setBusy(false);
    if (added) setValues(EMPTY_ADD_HOST_FORM);
  };

  return (
    <form className="card add-host" data-testid="add-host-form" onSubmit={(event) => void submit(event)} noValidate>
      <h2>Add host</h2>
      <div className="form-grid">
        {FIELDS.map(({ field, label, testId, placeholder }) => (
          <label className={errors[field] ? 'field invalid' : 'field'} key={field}>
            <span>{label}</span>
            <input
              data-testid={testId}
              value={values[field]}
              placeholder={placeholder}
              inputMode={field === 'port' ? 'numeric' : undefined}
              aria-invalid={errors[field] ? true : undefined}
              onChange={(event) => setValues({ ...values, [field]: event.target.value })}
            />
            {errors[field] && (
              <span className="field-error" data-testid={`add-host-error-${field}`}>
                {errors[field]}
              </span>
            )}
          </label>
        ))}
      </div>
      <div className="form-actions">
        <button type="submit" className="button" data-testid="add-host-submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add host'}
        </button>
      </div>
    </form>
  );
}
