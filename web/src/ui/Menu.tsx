import {
  type KeyboardEvent,
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useLocation } from 'wouter';
import styles from './Menu.module.css';

interface MenuContextValue {
  close: (restoreFocus: boolean) => void;
}
const MenuContext = createContext<MenuContextValue | null>(null);

export interface MenuProps {
  /** Renders the button that opens the menu; spread the given props onto a <button>. */
  trigger: (props: MenuTriggerProps) => ReactNode;
  children: ReactNode;
  align?: 'start' | 'end';
  placement?: 'below' | 'above';
  /** Widen the menu to the trigger's width (switchers). */
  matchWidth?: boolean;
  label?: string;
}

export interface MenuTriggerProps {
  ref: (element: HTMLButtonElement | null) => void;
  id: string;
  type: 'button';
  'aria-haspopup': 'menu';
  'aria-expanded': boolean;
  'aria-controls': string | undefined;
  onClick: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void;
}

const ITEM_SELECTOR = '[role="menuitem"]:not([aria-disabled="true"]), [role="menuitemradio"]:not([aria-disabled="true"])';

/**
 * The WAI-ARIA menu button: Enter/Space/↓ open on the first item, ↑ on the last; arrows, Home and End
 * move; Escape closes and returns focus to the button; Tab or a click outside closes.
 */
export function Menu({ trigger, children, align = 'start', placement = 'below', matchWidth = false, label }: MenuProps) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const buttonRef = useRef<HTMLButtonElement | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const buttonId = useId();
  const menuId = useId();

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>(ITEM_SELECTOR) ?? []);

  const close = useCallback((restoreFocus: boolean) => {
    setOpen(false);
    if (restoreFocus) buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const list = items();
    (open === 'last' ? list[list.length - 1] : list[0])?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, close]);

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLElement);
    const focusAt = (i: number) => list[(i + list.length) % list.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        focusAt(index - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(list.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className={styles.wrapper} ref={wrapperRef}>
      {trigger({
        ref: (element) => {
          buttonRef.current = element;
        },
        id: buttonId,
        type: 'button',
        'aria-haspopup': 'menu',
        'aria-expanded': open !== false,
        'aria-controls': open ? menuId : undefined,
        onClick: () => setOpen((value) => (value ? false : 'first')),
        onKeyDown: (event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen('first');
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen('last');
          }
        },
      })}
      {open ? (
        <MenuContext.Provider value={{ close }}>
          <div
            ref={menuRef}
            id={menuId}
            role="menu"
            aria-labelledby={label ? undefined : buttonId}
            aria-label={label}
            className={[styles.menu, styles[align], styles[placement], matchWidth ? styles.matchWidth : ''].join(' ')}
            onKeyDown={onMenuKeyDown}
          >
            {children}
          </div>
        </MenuContext.Provider>
      ) : null}
    </div>
  );
}

export interface MenuItemProps {
  children: ReactNode;
  icon?: ReactNode;
  /** Secondary text under the label. */
  description?: ReactNode;
  onSelect?: () => void;
  /** Navigate inside the app instead of running an action. */
  href?: string;
  tone?: 'default' | 'danger';
  /** Makes it a radio item (an org in the switcher); true marks the current one. */
  checked?: boolean;
  end?: ReactNode;
}

export function MenuItem({ children, icon, description, onSelect, href, tone = 'default', checked, end }: MenuItemProps) {
  const menu = useContext(MenuContext);
  const [, navigate] = useLocation();
  const activate = () => {
    menu?.close(href === undefined);
    if (href !== undefined) navigate(href);
    onSelect?.();
  };
  return (
    <div
      role={checked === undefined ? 'menuitem' : 'menuitemradio'}
      aria-checked={checked}
      tabIndex={-1}
      className={`${styles.item} ${tone === 'danger' ? styles.danger : ''}`}
      onClick={activate}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          activate();
        }
      }}
    >
      {icon ? (
        <span className={styles.itemIcon} aria-hidden="true">
          {icon}
        </span>
      ) : null}
      <span className={styles.itemText}>
        <span className={styles.itemLabel}>{children}</span>
        {description ? <span className={styles.itemDescription}>{description}</span> : null}
      </span>
      {end ? <span className={styles.itemEnd}>{end}</span> : null}
    </div>
  );
}

export function MenuSeparator() {
  return <div role="separator" className={styles.separator} />;
}

/** A non-interactive heading inside a menu (e.g. who is signed in). */
export function MenuHeader({ children }: { children: ReactNode }) {
  return (
    <div role="presentation" className={styles.header}>
      {children}
    </div>
  );
}
