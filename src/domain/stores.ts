import type { Collection } from './ports';
import type { Workstream, Programme } from './workstream';
import type { Person } from './person';
import type { Meeting } from './meeting';
import type { Contribution } from './contribution';
import type { Job, ConversationRef } from './job';
import type { AuditEvent } from './audit';
import type { Counter } from './report';
import type { ShownMessage } from './shown';
import type { Claim } from './claim';
import type { AgendaProposal, ContributionProposal } from './proposals';

/** Every collection the product keeps, by container name (see src/storage/containers.ts). */
export interface Stores {
  workstreams: Collection<Workstream | Programme>;
  people: Collection<Person>;
  meetings: Collection<Meeting>;
  contributions: Collection<Contribution>;
  jobs: Collection<Job>;
  audit: Collection<AuditEvent>;
  conversations: Collection<ConversationRef>;
  counters: Collection<Counter>;
  shown: Collection<ShownMessage>;
  claims: Collection<Claim>;
  /** An LXP's own additions to the record and their agenda items, told apart by `type`. */
  proposals: Collection<ContributionProposal | AgendaProposal>;
}
