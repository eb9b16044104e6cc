import type { ImportMemberEmailsResult } from '../../api/memberEmails.ts';
import { Alert } from '../../ui/Alert.tsx';
import { formatCount } from '../../ui/numbers.ts';
import styles from './MemberEmails.module.css';

/** Rows shown per list; the rest are counted ("and 120 more"). */
const SHOWN = 50;

type Problem = { line: number; value: string; reason: string };

/** What an import did: the counts, then each row that needs a look, by its line in the file. */
export function MemberEmailsSummary({ result }: { result: ImportMemberEmailsResult }) {
  const { counts } = result;
  const changed = counts.added + counts.replaced;
  const problems = counts.unmatched + counts.invalidEmails + counts.duplicates;
  const kept: Problem[] = result.matched
    .filter((m) => m.outcome === 'kept')
    .map((m) => ({
      line: m.line,
      value: m.member.name ?? m.member.nickname ?? m.member.accountId,
      reason: `keeps ${m.previousEmail ?? '—'} (from commits); the list says ${m.email}`,
    }));

  return (
    <div className={styles.summary}>
      <Alert tone={problems > 0 ? 'warning' : 'success'} title={changed > 0 ? `${formatCount(changed)} ${changed === 1 ? 'email' : 'emails'} saved` : 'No email changed'} live>
        {formatCount(result.rows)} rows read (columns: {[result.columns.email, ...result.columns.id, ...result.columns.nickname, ...result.columns.name].filter(unique).join(', ')}).{' '}
        {result.membersWithoutEmail > 0
          ? `${formatCount(result.membersWithoutEmail)} current ${result.membersWithoutEmail === 1 ? 'member has' : 'members have'} no email yet.`
          : 'Every current member has an email now.'}
      </Alert>
      <dl className={styles.counts}>
        <Count label="Matched" value={counts.matched} />
        <Count label="Added" value={counts.added} />
        <Count label="Replaced" value={counts.replaced} />
        <Count label="Unchanged" value={counts.unchanged} />
        <Count label="Kept from commits" value={counts.kept} />
        <Count label="Not matched" value={counts.unmatched} warn />
        <Count label="Invalid emails" value={counts.invalidEmails} warn />
        <Count label="Duplicates" value={counts.duplicates} warn />
      </dl>
      <Rows title="Not matched" total={counts.unmatched} rows={result.unmatched} />
      <Rows title="Invalid emails" total={counts.invalidEmails} rows={result.invalidEmails} />
      <Rows title="Duplicates (skipped)" total={counts.duplicates} rows={result.duplicates} />
      <Rows
        title="Commit emails kept"
        total={counts.kept}
        rows={kept}
        note="To use the list's addresses instead, import it again with “Replace emails that came from commits”."
      />
    </div>
  );
}

function unique(value: string, index: number, all: string[]): boolean {
  return all.indexOf(value) === index;
}

function Count({ label, value, warn = false }: { label: string; value: number; warn?: boolean }) {
  return (
    <div className={`${styles.count} ${warn && value > 0 ? styles.countWarn : ''}`}>
      <dt>{label}</dt>
      <dd>{formatCount(value)}</dd>
    </div>
  );
}

function Rows({ title, total, rows, note }: { title: string; total: number; rows: Problem[]; note?: string }) {
  if (total === 0) return null;
  const shown = rows.slice(0, SHOWN);
  return (
    <section className={styles.rows} aria-label={title}>
      <h3 className={styles.rowsTitle}>
        {title} <span className={styles.rowsCount}>{formatCount(total)}</span>
      </h3>
      {note ? <p className={styles.note}>{note}</p> : null}
      <ul className={styles.rowList}>
        {shown.map((r) => (
          <li key={`${r.line}:${r.reason}`}>
            <span className={styles.lineNo}>Line {r.line}</span>
            <span className={styles.rowValue}>{r.value || '(empty row)'}</span>
            <span className={styles.rowReason}>{r.reason}</span>
          </li>
        ))}
      </ul>
      {total > shown.length ? <p className={styles.note}>and {formatCount(total - shown.length)} more.</p> : null}
    </section>
  );
}
