import type { Database } from '../../store/database.ts';
import { TallyError } from '../../errors.ts';
import { bumpAnalyticsVersion } from '../cache.ts';
import { dropIfEmpty } from './link.ts';
import { displayNameOf } from './matching.ts';
import { refreshPeopleStats } from './stats.ts';

/**
 * An admin's corrections to the people directory. Each is recorded on the link (`manual` or `confirmed`,
 * by whom, when), which the automatic linking never overrides, and in the audit log.
 */

type Actor = { id: string; name: string };
type AccountRef = { appId: string; accountId: string };
type Scope = { organizationId: string; personId: string; actor: Actor };

async function personInOrg(db: Database, s: Scope): Promise<void> {
  const p = await db.selectFrom('people').select('id').where('id', '=', s.personId).where('organization_id', '=', s.organizationId).executeTakeFirst();
  if (!p) throw new TallyError('not_found', 'That person was not found in this organization’s directory.');
}

async function accountInOrg(db: Database, s: Scope, ref: AccountRef) {
  const a = await db
    .selectFrom('app_accounts')
    .select(['external_id', 'name', 'email', 'nickname'])
    .where('connection_id', '=', ref.appId)
    .where('organization_id', '=', s.organizationId)
    .where('external_id', '=', ref.accountId)
    .executeTakeFirst();
  if (!a) throw new TallyError('not_found', 'That app account was not found in this organization. Pick one from the app’s members table.');
  const link = await db.selectFrom('person_accounts').select(['person_id']).where('connection_id', '=', ref.appId).where('account_id', '=', ref.accountId).executeTakeFirst();
  return { ...a, currentPersonId: link?.person_id ?? null };
}

async function setLink(db: Database, s: Scope, ref: AccountRef, personId: string, method: 'manual' | 'confirmed', confidence: number): Promise<void> {
  const values = { person_id: personId, method, confidence, decided_by: s.actor.name, decided_at: new Date() };
  await db
    .insertInto('person_accounts')
    .values({ connection_id: ref.appId, account_id: ref.accountId, organization_id: s.organizationId, ...values })
    .onConflict((oc) => oc.columns(['connection_id', 'account_id']).doUpdateSet(values))
    .execute();
}

async function audit(db: Database, s: Scope, action: string, ref: AccountRef, details: Record<string, unknown> = {}): Promise<void> {
  await db.insertInto('audit_log').values({ organization_id: s.organizationId, actor_user_id: s.actor.id, action, target: s.personId, details: JSON.stringify({ ...ref, ...details }) }).execute();
}

async function settle(db: Database, s: Scope, people: Array<string | null>): Promise<void> {
  const ids = [...new Set(people.filter((p): p is string => p !== null))];
  for (const id of ids) if (id !== s.personId) await dropIfEmpty(db, id);
  await refreshPeopleStats(db, { personIds: ids }, s.organizationId);
  await changed(db, s);
}

/**
 * Moves the organization's data version in the correction's own transaction (its last statement, so the
 * version row is locked only for the commit): cached dashboard answers can never outlive the correction,
 * even if the process dies right after it commits.
 */
async function changed(db: Database, s: Scope): Promise<void> {
  await bumpAnalyticsVersion({ db }, [s.organizationId]);
}

/** Links the account to this person, moving it from whoever had it. */
export async function linkAccount(db: Database, s: Scope, ref: AccountRef): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await personInOrg(trx, s);
    const account = await accountInOrg(trx, s, ref);
    await setLink(trx, s, ref, s.personId, 'manual', 1);
    await trx.deleteFrom('link_proposals').where('connection_id', '=', ref.appId).where('account_id', '=', ref.accountId).where('status', '=', 'open').execute();
    await audit(trx, s, 'person.link', ref, { from: account.currentPersonId });
    await settle(trx, s, [account.currentPersonId, s.personId]);
  });
}

/** Takes the account from this person: it becomes a person of its own, and is not proposed back to this one. */
export async function unlinkAccount(db: Database, s: Scope, ref: AccountRef): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await personInOrg(trx, s);
    const account = await accountInOrg(trx, s, ref);
    if (account.currentPersonId !== s.personId) throw new TallyError('conflict', 'That account is not linked to this person (the page may be out of date: reload it).');
    const own = await trx.insertInto('people').values({ organization_id: s.organizationId, display_name: displayNameOf({ ...account, accountId: account.external_id }), primary_email: null }).returning('id').executeTakeFirstOrThrow();
    await setLink(trx, s, ref, own.id, 'manual', 1);
    await trx
      .insertInto('link_proposals')
      .values({ connection_id: ref.appId, account_id: ref.accountId, person_id: s.personId, organization_id: s.organizationId, confidence: 0, reason: 'unlinked by an admin', status: 'rejected', decided_by: s.actor.name, decided_at: new Date() })
      .onConflict((oc) => oc.columns(['connection_id', 'account_id', 'person_id']).doUpdateSet({ status: 'rejected', decided_by: s.actor.name, decided_at: new Date() }))
      .execute();
    await audit(trx, s, 'person.unlink', ref, { to: own.id });
    await settle(trx, s, [s.personId, own.id]);
    return own.id;
  });
}

/** Confirms the open proposal to link the account to this person. */
export async function confirmProposal(db: Database, s: Scope, ref: AccountRef): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await personInOrg(trx, s);
    const account = await accountInOrg(trx, s, ref);
    const proposal = await trx.selectFrom('link_proposals').select(['confidence']).where('connection_id', '=', ref.appId).where('account_id', '=', ref.accountId).where('person_id', '=', s.personId).where('status', '=', 'open').executeTakeFirst();
    if (!proposal) throw new TallyError('not_found', 'There is no open proposal to link that account to this person; link it directly instead.');
    await setLink(trx, s, ref, s.personId, 'confirmed', proposal.confidence);
    await trx.deleteFrom('link_proposals').where('connection_id', '=', ref.appId).where('account_id', '=', ref.accountId).where('status', '=', 'open').execute();
    await audit(trx, s, 'person.confirm', ref, { confidence: proposal.confidence });
    await settle(trx, s, [account.currentPersonId, s.personId]);
  });
}

/** Rejects the proposal; it is never made again. */
export async function rejectProposal(db: Database, s: Scope, ref: AccountRef): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await personInOrg(trx, s);
    const updated = await trx
      .updateTable('link_proposals')
      .set({ status: 'rejected', decided_by: s.actor.name, decided_at: new Date() })
      .where('connection_id', '=', ref.appId)
      .where('account_id', '=', ref.accountId)
      .where('person_id', '=', s.personId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new TallyError('not_found', 'There is no open proposal to link that account to this person.');
    await audit(trx, s, 'person.reject', ref);
    await changed(trx, s);
  });
}

/** Renames a person or sets their email; from then on syncs leave both alone. */
export async function updatePerson(db: Database, s: Scope, change: { displayName?: string | undefined; primaryEmail?: string | null | undefined }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await personInOrg(trx, s);
    if (change.primaryEmail) {
      const taken = await trx.selectFrom('people').select('display_name').where('organization_id', '=', s.organizationId).where('primary_email', '=', change.primaryEmail).where('id', '!=', s.personId).executeTakeFirst();
      if (taken) throw new TallyError('conflict', `${change.primaryEmail} is already the email of ${taken.display_name}: link that person’s accounts here instead.`);
    }
    await trx
      .updateTable('people')
      .set({
        ...(change.displayName !== undefined ? { display_name: change.displayName } : {}),
        ...(change.primaryEmail !== undefined ? { primary_email: change.primaryEmail } : {}),
        edited: true,
        updated_at: new Date(),
      })
      .where('id', '=', s.personId)
      .execute();
    await trx.insertInto('audit_log').values({ organization_id: s.organizationId, actor_user_id: s.actor.id, action: 'person.update', target: s.personId, details: JSON.stringify(change) }).execute();
    await changed(trx, s);
  });
}
