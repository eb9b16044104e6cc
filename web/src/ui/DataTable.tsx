import { type ReactNode, useDeferredValue, useId, useMemo, useState } from 'react';
import { ArrowDown, ArrowUp, ArrowUpDown, Download, Search, X } from 'lucide-react';
import { Button } from './Button.tsx';
import styles from './DataTable.module.css';
import { formatCount } from './numbers.ts';
import table from './Table.module.css';
import { type ColumnData, type SortDirection, csvFileName, searchRows, sortRows, toCsv } from './tableData.ts';

export interface Column<Row> extends ColumnData<Row> {
  /** What the cell shows; the value as text when absent. */
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
  /** Sortable unless false. */
  sortable?: boolean;
  /** Hidden below 640 px (secondary columns). */
  hideOnMobile?: boolean;
  /** Sort this column descending on its first click (counts, money, dates). */
  descendingFirst?: boolean;
  /** Not drawn: only in the search and the CSV (an email already shown under the name). */
  hidden?: boolean;
}

export interface DataTableProps<Row> {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  /** Names the table for assistive technology and the CSV file ("DigitalOcean members"). */
  label: string;
  /** The search box's label; no search box when absent. */
  searchLabel?: string;
  /** Offer the rows (searched and sorted as shown) as a CSV download. */
  csv?: boolean;
  initialSort?: { key: string; direction: SortDirection };
  /** Rows drawn at first; "Show more" adds as many again. Keeps big lists (2,000 members) quick. */
  pageSize?: number;
  /** Filters or buttons on the toolbar's line. */
  toolbar?: ReactNode;
  /** Shown when there are no rows at all (not when a search found none). */
  empty?: ReactNode;
}

/** A table with sortable headers, a search box, CSV export and "Show more" for long lists. */
export function DataTable<Row>({ rows, columns, rowKey, label, searchLabel, csv = false, initialSort, pageSize = 50, toolbar, empty }: DataTableProps<Row>) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState(initialSort);
  const [limit, setLimit] = useState(pageSize);
  const searchId = useId();
  const statusId = useId();
  // Typing stays responsive on long lists: filtering runs at a lower priority than the keystroke.
  const deferredQuery = useDeferredValue(query);

  const shown = useMemo(() => {
    const found = searchRows(rows, columns, deferredQuery);
    const column = sort ? columns.find((c) => c.key === sort.key) : undefined;
    return column && sort ? sortRows(found, column, sort.direction) : found;
  }, [rows, columns, deferredQuery, sort]);

  const toggleSort = (column: Column<Row>) => {
    setSort((current) => {
      if (current?.key === column.key) return { key: column.key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
      return { key: column.key, direction: column.descendingFirst ? 'descending' : 'ascending' };
    });
  };

  const download = () => {
    const blob = new Blob([toCsv(shown, columns)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = csvFileName(label);
    document.body.append(link);
    link.click();
    link.remove();
    // Give the browser a moment to start the download before the URL goes away.
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  if (rows.length === 0 && empty) return <>{empty}</>;

  const visible = shown.slice(0, limit);
  const drawn = columns.filter((c) => !c.hidden);
  const hideClass = (column: Column<Row>) => (column.hideOnMobile ? table.hideOnMobile : '');

  return (
    <div className={styles.wrapper}>
      {searchLabel || csv || toolbar ? (
        <div className={styles.toolbar}>
          {searchLabel ? (
            <div className={styles.search}>
              <Search size={16} aria-hidden="true" className={styles.searchIcon} />
              <label htmlFor={searchId} className="visually-hidden">
                {searchLabel}
              </label>
              <input
                id={searchId}
                type="search"
                className={styles.searchInput}
                placeholder={searchLabel}
                value={query}
                onChange={(event) => {
                  setQuery(event.target.value);
                  setLimit(pageSize);
                }}
                aria-describedby={statusId}
              />
              {query ? (
                <button type="button" className={styles.clear} onClick={() => setQuery('')} aria-label="Clear search">
                  <X size={14} aria-hidden="true" />
                </button>
              ) : null}
            </div>
          ) : null}
          {toolbar}
          {csv ? (
            <Button size="sm" icon={<Download size={15} aria-hidden="true" />} onClick={download} disabled={shown.length === 0} className={styles.csv}>
              CSV<span className="visually-hidden"> of {label.toLowerCase()}</span>
            </Button>
          ) : null}
        </div>
      ) : null}
      <div className={table.scroll}>
        <table className={`${table.table} ${styles.table}`} aria-label={label} aria-describedby={statusId}>
          <thead>
            <tr>
              {drawn.map((column) => {
                const active = sort?.key === column.key;
                const sortable = column.sortable !== false;
                const className = [column.numeric ? table.numeric : '', hideClass(column)].filter(Boolean).join(' ') || undefined;
                return (
                  <th key={column.key} scope="col" className={className} aria-sort={active ? sort?.direction : undefined}>
                    {sortable ? (
                      <button type="button" className={`${styles.sortButton} ${column.numeric ? styles.sortNumeric : ''}`} onClick={() => toggleSort(column)}>
                        {column.header}
                        {active ? (
                          sort?.direction === 'ascending' ? (
                            <ArrowUp size={13} aria-hidden="true" />
                          ) : (
                            <ArrowDown size={13} aria-hidden="true" />
                          )
                        ) : (
                          <ArrowUpDown size={13} aria-hidden="true" className={styles.sortIdle} />
                        )}
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={rowKey(row)}>
                {drawn.map((column) => {
                  const className = [column.numeric ? table.numeric : '', hideClass(column)].filter(Boolean).join(' ') || undefined;
                  return (
                    <td key={column.key} className={className}>
                      {column.render ? column.render(row) : (column.value(row) ?? '—')}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? (
          <p className={styles.noMatch}>{deferredQuery.trim() ? `Nothing matches “${deferredQuery.trim()}”. Try fewer or other words.` : 'Nothing to show with these filters.'}</p>
        ) : null}
      </div>
      <div className={styles.footer}>
        <p id={statusId} className={styles.count} role="status">
          {shown.length === rows.length
            ? `${formatCount(rows.length)} ${rows.length === 1 ? 'row' : 'rows'}`
            : `${formatCount(shown.length)} of ${formatCount(rows.length)} rows match`}
          {visible.length < shown.length ? `, ${formatCount(visible.length)} shown` : ''}
        </p>
        {visible.length < shown.length ? (
          <Button size="sm" variant="ghost" onClick={() => setLimit((l) => l + pageSize)}>
            Show {formatCount(Math.min(pageSize, shown.length - visible.length))} more
          </Button>
        ) : null}
      </div>
    </div>
  );
}
