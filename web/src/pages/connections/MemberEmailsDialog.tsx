import { useId, useState } from 'react';
import { FileUp, X } from 'lucide-react';
import { type ImportMemberEmailsResult, MEMBER_EMAILS_MAX_BYTES, memberEmailsApi } from '../../api/memberEmails.ts';
import { useSubmit } from '../../lib/useSubmit.ts';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Form } from '../../ui/Form.tsx';
import { TextAreaField } from '../../ui/TextAreaField.tsx';
import { MemberEmailsSummary } from './MemberEmailsSummary.tsx';
import styles from './MemberEmails.module.css';

const FIELDS = ['csv', 'replaceCommitEmails'] as const;

export interface MemberEmailsDialogProps {
  open: boolean;
  orgId: string;
  connectionId: string;
  name: string;
  onClose: () => void;
  onImported: () => void;
}

/** Pick or paste the member list, import it, then read what happened row by row. */
export function MemberEmailsDialog({ open, orgId, connectionId, name, onClose, onImported }: MemberEmailsDialogProps) {
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [replace, setReplace] = useState(false);
  const [result, setResult] = useState<ImportMemberEmailsResult | null>(null);
  const { errors, submitting, run, clearError, reset } = useSubmit(FIELDS);
  const formId = useId();
  const fileId = useId();

  const startOver = () => {
    setFile(null);
    setPasted('');
    setReplace(false);
    setResult(null);
    reset();
  };
  const close = () => {
    startOver();
    onClose();
  };

  const submit = () =>
    run(
      async () => {
        const csv = file ? await file.text() : pasted;
        setResult(await memberEmailsApi.import(orgId, connectionId, { csv, replaceCommitEmails: replace }));
        onImported();
      },
      () => {
        if (file && file.size > MEMBER_EMAILS_MAX_BYTES) {
          return { fields: { csv: `${file.name} is larger than 5 MB: export only the name, email and account id columns, or split the list into parts.` } };
        }
        return file || pasted.trim() ? { fields: {} } : { fields: { csv: 'Choose the CSV file, or paste the list.' } };
      },
    );

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={submitting}
      title={result ? `Member emails imported into ${name}` : `Import ${name} member emails`}
      description={result ? undefined : `${name}'s API gives no emails. Export the workspace's member list as CSV and Tally fills in each member's email.`}
      footer={
        result ? (
          <>
            <Button onClick={startOver}>Import another file</Button>
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </>
        ) : (
          <>
            <Button onClick={close} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" form={formId} variant="primary" loading={submitting} icon={<FileUp size={16} aria-hidden="true" />}>
              Import
            </Button>
          </>
        )
      }
    >
      {result ? (
        <MemberEmailsSummary result={result} />
      ) : (
        <Form id={formId} onSubmit={() => void submit()} errors={errors} aria-label={`Import ${name} member emails`}>
          <p className={styles.help}>
            In {name}, an admin exports the members from the workspace's settings (or admin.atlassian.com → Directory → Users → Export). Any column
            order works: Tally needs an <strong>email</strong> column and an <strong>account id</strong>, <strong>nickname</strong> (username) or{' '}
            <strong>name</strong> column, comma or semicolon separated.
          </p>
          {file ? (
            <div className={styles.chosen}>
              <span>
                <strong>{file.name}</strong> ({formatSize(file.size)})
              </span>
              <Button
                size="sm"
                variant="ghost"
                icon={<X size={14} aria-hidden="true" />}
                onClick={() => {
                  setFile(null);
                  clearError('csv');
                }}
              >
                Remove<span className="visually-hidden"> {file.name}</span>
              </Button>
            </div>
          ) : (
            <div className={styles.picker}>
              <label htmlFor={fileId} className={styles.pickerLabel}>
                CSV file
              </label>
              <input
                id={fileId}
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                className={styles.fileInput}
                onChange={(event) => {
                  setFile(event.target.files?.[0] ?? null);
                  clearError('csv');
                }}
              />
            </div>
          )}
          {file ? (
            errors.fields.csv ? (
              <p className={styles.fieldError} role="alert">
                {errors.fields.csv}
              </p>
            ) : null
          ) : (
            <TextAreaField
              label="Or paste the list"
              name="csv"
              rows={6}
              spellCheck={false}
              placeholder={'Name,Email,Account ID\nJane Doe,jane@example.com,557058:…'}
              value={pasted}
              onChange={(event) => {
                setPasted(event.target.value);
                clearError('csv');
              }}
              error={errors.fields.csv}
              className={styles.mono}
            />
          )}
          <label className={styles.check}>
            <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} />
            <span>
              Replace emails that came from commits
              <span className={styles.checkHint}>Otherwise a member whose commits gave an email keeps it, and the summary lists the differences.</span>
            </span>
          </label>
        </Form>
      )}
    </Dialog>
  );
}

function formatSize(bytes: number): string {
  return bytes < 1000 ? `${bytes} bytes` : bytes < 1_000_000 ? `${Math.round(bytes / 1000)} KB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}
