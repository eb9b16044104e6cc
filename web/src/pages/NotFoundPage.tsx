import { Compass } from 'lucide-react';
import { useMe } from '../session/session.tsx';
import { homePath } from '../shell/home.ts';
import { ButtonLink } from '../ui/Button.tsx';
import { Card } from '../ui/Card.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { Page } from '../ui/Page.tsx';

export function NotFoundPage() {
  const me = useMe();
  return (
    <Page title="Page not found">
      <Card>
        <EmptyState
          headingLevel={2}
          icon={<Compass size={22} />}
          title="There's nothing at this address"
          action={
            <ButtonLink href={homePath(me)} variant="primary">
              Go to your dashboard
            </ButtonLink>
          }
        >
          The link may be old or mistyped. Use the navigation to find what you were looking for.
        </EmptyState>
      </Card>
    </Page>
  );
}
