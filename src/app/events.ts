import { z } from 'zod';

/**
 * The values Teams sends with the events the bot answers, checked once at the
 * edge as card payloads are. Every field is optional because Teams leaves
 * them out at times; a value of the wrong shape is refused before any use
 * case runs.
 */
const member = z.object({ user: z.object({ id: z.string().max(200).optional(), aadObjectId: z.string().max(200).optional(), name: z.string().max(500).optional() }).optional() });
const members = z
  .object({ members: z.array(member).max(5000).default([]) })
  .transform((v) => v.members.flatMap((m) => (m.user?.aadObjectId ? [{ id: m.user.aadObjectId, name: m.user.name ?? '', teamsId: m.user.id }] : [])));

export const EVENTS = {
  /** The bot was added to a chat, a team or a person's personal scope. */
  installed: z.object({}).passthrough(),
  meetingStart: z.object({ Title: z.string().max(1000).optional(), StartTime: z.string().max(40).optional() }),
  meetingEnd: z.object({ EndTime: z.string().max(40).optional() }),
  participantJoin: members,
  participantLeave: members,
} as const;

export type EventName = keyof typeof EVENTS;
export type EventInput<E extends EventName> = z.infer<(typeof EVENTS)[E]>;

export function parseEvent<E extends EventName>(event: E, value: unknown): EventInput<E> | undefined {
  const r = EVENTS[event].safeParse(value ?? {});
  return r.success ? (r.data as EventInput<E>) : undefined;
}
