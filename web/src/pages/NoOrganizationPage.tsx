import { useState } from 'react';
import { Building2, Plus } from 'lucide-react';
import { CreateOrganizationDialog } from '../shell/CreateOrganizationDialog.tsx';
import { Button } from '../ui/Button.tsx';
import { Card } from '../ui/Card.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { Page } from '../ui/Page.tsx';

/** Someone signed in who belongs to no organization (they left their last one, or were removed). */
export function NoOrganizationPage() {
  const [creating, setCreating] = useState(false);
  return (
    <Page title="Welcome to Tally">
      <Card>
        <EmptyState
          headingLevel={2}
          icon={<Building2 size={22} />}
          title="You're not in any organization yet"
          action={
            <Button variant="primary" icon={<Plus size={16} aria-hidden="true" />} onClick={() => setCreating(true)}>
              Create an organization
            </Button>
          }
        >
          Tally shows an organization's usage and spend to its members. To join your team's, ask one of its admins for an
          invitation link and open it. Or start a new organization of your own.
        </EmptyState>
      </Card>
      <CreateOrganizationDialog open={creating} onClose={() => setCreating(false)} />
    </Page>
  );
}
