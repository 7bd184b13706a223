import { collectMyDataEverywhere, myDataJson } from '../commands/my-data';
import { forgetMeWhere, type ForgetResult } from '../commands/forget-me';
import { liftRestriction } from '../commands/restriction';
import { contributionAudit } from '../commands/contribution-audit';
import { localDate } from '../domain/follow-up';
import { ensureRetentionSweep } from '../jobs/retention';
import { contributionAuditCard, forgetMeCard, myDataCard } from '../presenters/privacy';
import { noticeCard } from '../presenters/setup';
import type { Payload } from './payloads';
import { answer, say, show, type Out } from './reply';
import type { FileAnswer, UseCase } from './route';
import { isShared } from './turn';

/** Marks our consent cards, so the my data accept route takes them and the export's route takes the rest. */
export const MY_DATA_FILE = 'my_data';
const FILE_OFFERED = 'The full record is also a JSON file: choose Allow on the card below and Teams saves it to your OneDrive.';

/** `my data`: the card, then the file offer, both in the personal chat only. */
export const onMyData: UseCase<string> = async (deps, turn) => {
  if (isShared(turn)) return [say('What Golden Thread holds about you is private: type my data in our personal chat with me (Golden Thread).')];
  const data = await collectMyDataEverywhere(deps, turn.caller);
  const filename = `golden-thread-my-data-${localDate(deps.clock.now(), deps.settings.timeZone)}.json`;
  // Only the requester travels in the card; the file is made again on accept, from what is held then.
  const context = { kind: MY_DATA_FILE, filter: '', requester: turn.caller.id };
  const offer: Out = { to: 'here', content: { fileOffer: { filename, description: 'Everything Golden Thread holds about you, as JSON.', sizeInBytes: Buffer.byteLength(myDataJson(data), 'utf8'), context } } };
  return [show(myDataCard(data, { timeZone: deps.settings.timeZone, file: FILE_OFFERED })), offer];
};

export const onForgetMe: UseCase<string> = async (deps, turn) => {
  if (isShared(turn)) return [say('For your privacy, type forget me in our personal chat with me (Golden Thread). Nothing has been erased.')];
  return [show(forgetMeCard(await collectMyDataEverywhere(deps, turn.caller), turn.caller.id))];
};

export const onAudit: UseCase<string> = async (deps, turn, args) => {
  // Permission first, so someone not allowed learns that rather than where to ask.
  const history = await contributionAudit(deps, turn.caller, args);
  if (isShared(turn)) return [say('The history of a contribution is for the programme team: type audit and its id in our personal chat with me.')];
  return [show(contributionAuditCard(history, deps.settings.timeZone))];
};

export const onLiftRestriction: UseCase<Payload<'lift_restriction'>> = async (deps, turn, data) => {
  await liftRestriction(deps, turn.caller, data.contributionId);
  const notice = 'Done: that story is now shown like your other contributions.';
  // A card acted on in a shared chat is replaced for everyone: never put someone's own data there.
  if (isShared(turn)) return [answer(notice)];
  const mine = await collectMyDataEverywhere(deps, turn.caller);
  return [answer(myDataCard(mine, { timeZone: deps.settings.timeZone, file: 'Type my data for the full record as a file.', notice }))];
};

export const onForgetMeConfirm: UseCase<Payload<'forget_me_confirm'>> = async (deps, turn, data) => {
  if (isShared(turn)) return [answer('Forget me only works in our personal chat. Nothing has been erased.')];
  const result = await forgetMeWhere(deps, turn.caller, data.personId, data.which);
  for (const p of result.forgotten) deps.logger.info({ tenantId: turn.tenantId, programmeId: p.id, everywhere: result.everywhere, ...p.counts }, 'a person asked to be forgotten; records rewritten');
  // The bot remembered that it had saved this person and chat; if they write again, a new record is started.
  turn.teams.forgetSeen();
  return [answer(noticeCard(...forgottenNotice(result)))];
};

/** What the person is told: where they were forgotten, and which programmes still hold their record. */
export function forgottenNotice(r: ForgetResult): [string, string] {
  const names = (list: { name: string }[]) => list.map((p) => p.name).join(', ').replace(/, ([^,]*)$/, ' and $1');
  // In no programme, all that was held is how to reach them in this chat.
  if (!r.forgotten.length) return ['Golden Thread has forgotten you', 'You are in no programme, so all Golden Thread held about you was how to reach you in this chat; that is erased. If you write to me again, I start a new record.'];
  const where = r.forgotten.length ? ` in ${names(r.forgotten)}` : '';
  const kept = r.kept.length
    ? ` ${names(r.kept)} still ${r.kept.length === 1 ? 'holds its' : 'hold their'} own record of you, unchanged: type forget me again to be forgotten there too.`
    : '';
  return [
    `Golden Thread has forgotten you${r.everywhere ? '' : where}`,
    `Your words are erased and your name is gone from every record${where}. Reports still count what you contributed, without your name. The programme team${r.forgotten.length > 1 ? 's have' : ' has'} been told that someone asked to be forgotten, not who.${kept} Thank you for what you shared.`,
  ];
}

export const onMyDataAccepted: UseCase<FileAnswer> = async (deps, turn, { context, upload }) => {
  if (context.requester !== turn.caller.id) return [say('This file was prepared for someone else. Type my data to get your own.')];
  const body = Buffer.from(myDataJson(await collectMyDataEverywhere(deps, turn.caller)), 'utf8');
  return [{ to: 'here', content: { upload: { info: upload, body, retry: 'Type my data to try again.' } } }];
};

export const onMyDataDeclined: UseCase<FileAnswer> = async () => [say('No file was saved. Type my data whenever you want it.')];

const today = new Map<string, string>();

/** Starts each tenant's daily retention sweep the first time it is seen each day; the job then keeps itself going. */
export const sweepOncePerDay: UseCase<void> = async (deps, turn) => {
  const day = deps.clock.now().toISOString().slice(0, 10);
  // One sweep per programme: each keeps its own data and its own retention job.
  const key = turn.scope?.programmeId && `${turn.tenantId}|${turn.scope.programmeId}`;
  if (!key || today.get(key) === day) return [];
  try {
    await ensureRetentionSweep(deps, turn.tenantId);
    today.set(key, day);
  } catch (err) {
    deps.logger.warn({ tenantId: turn.tenantId, err: { message: (err as Error).message } }, 'could not schedule the retention sweep; will try on the next turn');
  }
  return [];
};
