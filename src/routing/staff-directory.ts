// Who staff are, without Redis knowing: a staff member is stored under a handle (keyed
// hash of their platform id) with their id, name and username sealed under the roster
// key. Opening an identity happens only to show a name or mention someone.
import { CryptoError, openRosterSecret, rosterKeyOf, sealRosterSecret, staffHandleOf, usernameHashOf } from '../crypto/index.js';
import type { ChannelName, CounsellorId, DeskName, Lang } from '../shared/index.js';
import type { RosterStore, StaffRecord } from '../store/index.js';
import type { StaffRole } from './roster.js';

export interface StaffIdentity {
  channel: ChannelName;
  /** the platform id (a Telegram user id), needed to mention them */
  address: string;
  /** display name as the platform shows it */
  name: string;
  username?: string;
}

export interface Enrolment {
  role: StaffRole;
  langs: Lang[];
  escalation: boolean;
  /** the staff chats they work in (STAFF_CHATS); absent: the main one */
  desks?: DeskName[];
}

export class StaffDirectory {
  private readonly rosterKey: Uint8Array;

  constructor(
    readonly store: RosterStore,
    private readonly pepper: Uint8Array,
  ) {
    this.rosterKey = rosterKeyOf(pepper);
  }

  handleOf(channel: ChannelName, address: string): CounsellorId {
    return staffHandleOf(this.pepper, channel, address);
  }

  private usernameHash(channel: ChannelName, username: string): string {
    return usernameHashOf(this.pepper, channel, username);
  }

  sealIdentity(label: string, identity: StaffIdentity): string {
    return sealRosterSecret(this.rosterKey, label, JSON.stringify(identity));
  }

  private openIdentity(label: string, sealed: string): StaffIdentity | undefined {
    try {
      return JSON.parse(openRosterSecret(this.rosterKey, label, sealed)) as StaffIdentity;
    } catch (err) {
      if (err instanceof CryptoError) return undefined; // another pepper, or tampered: show a handle instead
      throw err;
    }
  }

  /** The record of whoever has this platform id, active or not. */
  async lookup(channel: ChannelName, address: string): Promise<StaffRecord | undefined> {
    return this.store.staff(this.handleOf(channel, address));
  }

  async identityOf(id: CounsellorId): Promise<StaffIdentity | undefined> {
    const record = await this.store.staff(id);
    return record?.identity ? this.openIdentity(`staff/${id}`, record.identity) : undefined;
  }

  identityOfRecord(record: StaffRecord): StaffIdentity | undefined {
    return record.identity ? this.openIdentity(`staff/${record.id}`, record.identity) : undefined;
  }

  /**
   * Someone wrote in the staff chat: keep a staff member's name current, and remember
   * a non-member briefly (encrypted) so an admin can `/staff add @username` them.
   */
  async noticed(identity: StaffIdentity, record: StaffRecord | undefined): Promise<void> {
    if (record) {
      const known = this.identityOfRecord(record);
      if (known && known.name === identity.name && known.username === identity.username) return;
      await this.store.putStaff({ ...record, identity: this.sealIdentity(`staff/${record.id}`, identity) });
      if (known?.username && known.username !== identity.username) await this.store.unlinkUsername(this.usernameHash(identity.channel, known.username));
      if (identity.username) await this.store.linkUsername(this.usernameHash(identity.channel, identity.username), record.id);
      return;
    }
    if (!identity.username) return;
    const hash = this.usernameHash(identity.channel, identity.username);
    await this.store.rememberSeen(hash, this.sealIdentity(`seen/${hash}`, identity));
  }

  /** `@username`: a staff member, or someone recently seen in the staff chat. */
  async byUsername(channel: ChannelName, username: string): Promise<{ record?: StaffRecord; identity?: StaffIdentity }> {
    const hash = this.usernameHash(channel, username);
    const id = await this.store.staffOfUsername(hash);
    const record = id ? await this.store.staff(id) : undefined;
    if (record) return { record, ...withIdentity(this.identityOfRecord(record)) };
    const seen = await this.store.seen(hash);
    return seen ? withIdentity(this.openIdentity(`seen/${hash}`, seen)) : {};
  }

  /** Active staff whose name starts with `query` (for "/transfer Dana" without an @). */
  async byName(query: string): Promise<StaffRecord[]> {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return (await this.store.allStaff()).filter((r) => r.active && this.identityOfRecord(r)?.name.toLowerCase().startsWith(q));
  }

  /** Adds someone to the roster, or updates their role, languages and flags; reactivates a removed one. */
  async enroll(identity: StaffIdentity, e: Enrolment, now: number): Promise<{ record: StaffRecord; created: boolean }> {
    const id = this.handleOf(identity.channel, identity.address);
    const existing = await this.store.staff(id);
    const record: StaffRecord = {
      id,
      role: e.role,
      langs: e.langs,
      escalation: e.escalation,
      ...(e.desks?.length ? { desks: e.desks } : {}),
      active: true,
      identity: this.sealIdentity(`staff/${id}`, identity),
      addedAt: existing?.addedAt ?? now,
    };
    await this.store.putStaff(record);
    if (identity.username) await this.store.linkUsername(this.usernameHash(identity.channel, identity.username), id);
    return { record, created: !existing?.active };
  }

  usernameKey(channel: ChannelName, username: string): string {
    return this.usernameHash(channel, username);
  }
}

function withIdentity(identity: StaffIdentity | undefined): { identity?: StaffIdentity } {
  return identity ? { identity } : {};
}
