import { useState } from 'react';
import { type ProviderCard, type RevokeOutcome, connectionsApi } from '../../api/connections.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { RadioCards } from '../../ui/RadioCards.tsx';
import styles from './Connections.module.css';

type Keep = 'keep' | 'delete';

export interface DisconnectDialogProps {
  orgId: string;
  /** The card whose connection is disconnected; null keeps the dialog closed. */
  card: ProviderCard | null;
  onClose: () => void;
  onDisconnected: (card: ProviderCard, revoked: RevokeOutcome, deletedData: boolean) => void;
}

/** Disconnect: revoke at the provider where it can, forget the credentials, keep or delete the data. */
export function DisconnectDialog({ orgId, card, onClose, onDisconnected }: DisconnectDialogProps) {
  const [keep, setKeep] = useState<Keep>('keep');
  const close = () => {
    setKeep('keep');
    onClose();
  };

  return (
    <ConfirmDialog
      open={card !== null}
      onClose={close}
      title={`Disconnect ${card?.name ?? ''}?`}
      confirmLabel="Disconnect"
      onConfirm={async () => {
        const connection = card?.connection;
        if (!card || !connection) return;
        const { revoked } = await connectionsApi.disconnect(orgId, connection.id, keep === 'delete');
        onDisconnected(card, revoked, keep === 'delete');
        setKeep('keep');
      }}
    >
      <div className={styles.stack}>
      <p>
        Tally revokes its access at {card?.name} where the provider allows it, deletes the stored credentials and stops syncing. You can
        connect again at any time.
      </p>
      <RadioCards<Keep>
        legend="Synced data"
        name="synced-data"
        value={keep}
        onChange={setKeep}
        options={[
          { value: 'keep', label: 'Keep synced data', description: 'Dashboards keep showing what was synced so far.' },
          {
            value: 'delete',
            label: 'Delete synced data',
            description: `Removes everything Tally synced from ${card?.name ?? 'the app'}: its records, activity and accounts, and the figures, people and insights made from them. The sync history, your settings for the app and the audit log stay. This can't be undone.`,
          },
        ]}
      />
      </div>
    </ConfirmDialog>
  );
}
