import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { CalendarDays, Check, ChevronDown } from 'lucide-react';
import { Button } from './Button.tsx';
import styles from './DateRangePicker.module.css';
import { type DateRange, PRESET_LABELS, RANGE_PRESETS, checkCustomRange, describeRange, isoDay, presetRange } from './dateRange.ts';
import { useDateRange } from './useDateRange.ts';

/**
 * The shared date range as a button that opens a small panel: presets apply at once, a custom range
 * applies with its button. Escape, a click outside or Tab past the end closes the panel; focus goes
 * back to the button.
 */
export function DateRangePicker() {
  const [range, setRange] = useDateRange();
  return <DateRangeControl range={range} onChange={setRange} />;
}

export function DateRangeControl({ range, onChange }: { range: DateRange; onChange: (range: DateRange) => void }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const label = describeRange(range);

  const close = (restoreFocus: boolean) => {
    setOpen(false);
    if (restoreFocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>('[aria-pressed="true"], button')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const choose = (next: DateRange) => {
    onChange(next);
    close(true);
  };

  return (
    <div
      ref={wrapperRef}
      className={styles.wrapper}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          close(true);
        }
      }}
      onBlur={(event) => {
        if (open && !wrapperRef.current?.contains(event.relatedTarget as Node | null) && event.relatedTarget !== null) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className={styles.trigger}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <CalendarDays size={16} aria-hidden="true" />
        <span className="visually-hidden">Date range: </span>
        <span className={styles.triggerLabel}>{label}</span>
        <ChevronDown size={16} aria-hidden="true" className={styles.chevron} />
      </button>
      {open ? (
        <div ref={panelRef} id={panelId} className={styles.panel} role="group" aria-label="Choose a date range">
          <ul className={styles.presets}>
            {RANGE_PRESETS.map((preset) => {
              const selected = range.preset === preset;
              return (
                <li key={preset}>
                  <button type="button" className={styles.preset} aria-pressed={selected} onClick={() => choose(presetRange(preset))}>
                    {PRESET_LABELS[preset]}
                    {selected ? <Check size={16} aria-hidden="true" /> : null}
                  </button>
                </li>
              );
            })}
          </ul>
          <CustomRangeForm range={range} onApply={choose} />
        </div>
      ) : null}
    </div>
  );
}

function CustomRangeForm({ range, onApply }: { range: DateRange; onApply: (range: DateRange) => void }) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const today = isoDay(new Date());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = checkCustomRange(from, to);
    if (problem) {
      setError(problem);
      return;
    }
    onApply({ preset: 'custom', from, to });
  };

  const describedBy = error ? errorId : undefined;
  return (
    <form className={styles.custom} onSubmit={submit} noValidate>
      <p className={styles.customTitle}>Custom range</p>
      <div className={styles.dates}>
        <label className={styles.dateField}>
          <span>From</span>
          <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />
        </label>
        <label className={styles.dateField}>
          <span>To</span>
          <input type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />
        </label>
      </div>
      {error ? (
        <p id={errorId} className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" size="sm" block>
        Apply range
      </Button>
    </form>
  );
}
