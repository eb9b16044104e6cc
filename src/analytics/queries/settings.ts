import type { AppSettings } from '../../api/contracts/analytics.ts';
import type { Database } from '../../store/database.ts';
import { bumpAnalyticsVersion } from '../cache.ts';
import { DEFAULT_INACTIVITY_DAYS } from '../levels.ts';
import { moneyOrNull } from '../money.ts';

type Update = {
  planName?: string | null | undefined;
  pricePerSeat?: string | null | undefined;
  seatCountOverride?: number | null | undefined;
  renewalDate?: string | null | undefined;
  contractValue?: string | null | undefined;
  inactivityThresholdDays?: number | undefined;
};

export async function getSettings(db: Database, organizationId: string, appId: string): Promise<AppSettings> {
  const s = await db.selectFrom('app_settings').selectAll().where('connection_id', '=', appId).where('organization_id', '=', organizationId).executeTakeFirst();
  return {
    planName: s?.plan_name ?? null,
    pricePerSeat: moneyOrNull(s?.price_per_seat),
    seatCountOverride: s?.seat_count_override ?? null,
    renewalDate: s?.renewal_date ?? null,
    contractValue: moneyOrNull(s?.contract_value),
    inactivityThresholdDays: s?.inactivity_threshold_days ?? DEFAULT_INACTIVITY_DAYS,
    updatedAt: s?.updated_at?.toISOString() ?? null,
    updatedBy: s?.updated_by ?? null,
  };
}

/** Omitted fields keep their value; null clears one. The audit log keeps who changed what. */
export async function updateSettings(db: Database, organizationId: string, appId: string, change: Update, user: { id: string; name: string }): Promise<void> {
  const values = {
    ...(change.planName !== undefined ? { plan_name: change.planName || null } : {}),
    ...(change.pricePerSeat !== undefined ? { price_per_seat: change.pricePerSeat } : {}),
    ...(change.seatCountOverride !== undefined ? { seat_count_override: change.seatCountOverride } : {}),
    ...(change.renewalDate !== undefined ? { renewal_date: change.renewalDate } : {}),
    ...(change.contractValue !== undefined ? { contract_value: change.contractValue } : {}),
    ...(change.inactivityThresholdDays !== undefined ? { inactivity_threshold_days: change.inactivityThresholdDays } : {}),
    updated_at: new Date(),
    updated_by: user.name,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('app_settings')
      .values({ connection_id: appId, organization_id: organizationId, ...values })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet(values))
      .execute();
    await trx.insertInto('audit_log').values({ organization_id: organizationId, actor_user_id: user.id, action: 'app_settings.update', target: appId, details: JSON.stringify(change) }).execute();
    // Plan, price and renewal show on the dashboard at once (with this commit), before the recompute follows.
    await bumpAnalyticsVersion({ db: trx }, [organizationId]);
  });
}
