import type { ReactNode } from 'react';
import { Plug } from 'lucide-react';
import { organizationPath } from '../shell/navigation.ts';
import { ButtonLink } from './Button.tsx';
import { Card } from './Card.tsx';
import { EmptyState } from './EmptyState.tsx';

export interface ConnectFirstProps {
  orgId: string;
  /** "Connect DigitalOcean to see spend". */
  title: string;
  /** What the page will show once an app is connected. */
  children: ReactNode;
  icon?: ReactNode;
  /** The button's words; members are sent to Connections too, where they can invite the app's admin. */
  actionLabel?: string;
}

/** The empty state of a dashboard with nothing connected yet: what it will show and the way to get there. */
export function ConnectFirst(props: ConnectFirstProps) {
  return (
    <Card>
      <ConnectFirstInline {...props} headingLevel={2} />
    </Card>
  );
}

/** The same inside a card that has its own heading (a chart with nothing to draw yet). */
export function ConnectFirstInline({ orgId, title, children, icon, actionLabel = 'Go to Connections', headingLevel = 3 }: ConnectFirstProps & { headingLevel?: 2 | 3 }) {
  return (
    <EmptyState
      headingLevel={headingLevel}
      compact={headingLevel === 3}
      icon={icon ?? <Plug size={22} />}
      title={title}
      action={
        <ButtonLink href={organizationPath(orgId, 'connections')} variant="primary" icon={<Plug size={16} aria-hidden="true" />}>
          {actionLabel}
        </ButtonLink>
      }
    >
      {children}
    </EmptyState>
  );
}
