import { auditImpactFile, impactPeriod, myImpact, type ProgrammeImpact } from '../commands/impact';
import type { ImpactPeriod } from '../domain/impact';
import { IMPACT_PERIODS, impactFile, myImpactCard, type ImpactSection } from '../presenters/impact';
import type { Payload } from './payloads';
import { answer, say, toAsker, type Out } from './reply';
import type { AppDeps, FileAnswer, UseCase } from './route';
import { isShared, type Turn } from './turn';

/** Marks the impact file's consent card, so its accept route takes it and the export's routes take the rest. */
export const IMPACT_FILE = 'my_impact';
const PRIVATE = 'Your impact is yours: type my impact in our personal chat with me (Golden Thread).';

const sections = (deps: AppDeps, list: ProgrammeImpact[]): ImpactSection[] =>
  list.map((i) => ({ programme: i.programme, impact: i.impact, areaNames: i.areaNames, timeZone: deps.settings.timeZone }));

async function impactCard(deps: AppDeps, turn: Turn, text: string) {
  const period = impactPeriod(text, deps.clock.now(), deps.settings.timeZone);
  const choice = IMPACT_PERIODS.find((p) => p.value === text.trim().toLowerCase())?.value;
  return myImpactCard(sections(deps, await myImpact(deps, turn.caller, period)), choice);
}

/** `my impact [period]`: private, so from a shared chat it goes 1:1. */
export const onMyImpact: UseCase<string> = async (deps, turn, args) => [
  toAsker(isShared(turn), await impactCard(deps, turn, args), 'Your impact', `my impact ${args}`.trim(), 'Your impact is yours: I have sent it to you in our personal chat.'),
];

/** "Show" on the card, with another period. */
export const onImpactShow: UseCase<Payload<'impact_show'>> = async (deps, turn, data) => {
  if (isShared(turn)) return [answer(PRIVATE)];
  return [answer(await impactCard(deps, turn, data.period))];
};

const periodOf = (from: string, to: string, label: string): ImpactPeriod => ({ from: new Date(from), to: new Date(to), label });

async function theFile(deps: AppDeps, turn: Turn, period: ImpactPeriod) {
  const list = await myImpact(deps, turn.caller, period);
  return { list, file: impactFile(sections(deps, list), deps.clock.now()) };
}

/** "Send me a copy to keep": the consent card for a text file; the file is made again on accept, from what is held then. */
export const onImpactFile: UseCase<Payload<'impact_file'>> = async (deps, turn, data) => {
  if (isShared(turn)) return [answer('Files can only be sent in our personal chat. Type my impact there.')];
  const { file } = await theFile(deps, turn, periodOf(data.from, data.to, data.label));
  const context = { kind: IMPACT_FILE, from: data.from, to: data.to, label: data.label, requester: turn.caller.id };
  const description = `Your impact, ${data.label}: what happened to what you said and the changes it led to, for a CV or a portfolio. Your own words are not in it.`;
  const offer: Out = { to: 'here', content: { fileOffer: { filename: file.name, description, sizeInBytes: Buffer.byteLength(file.text, 'utf8'), context } } };
  return [offer, answer('Choose Allow on the card below and Teams will save the file to your OneDrive.')];
};

export const onImpactFileAccepted: UseCase<FileAnswer> = async (deps, turn, { context, upload }) => {
  if (context.requester !== turn.caller.id) return [say('This file was prepared for someone else. Type my impact to make your own.')];
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const from = str(context.from);
  const to = str(context.to);
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) return [say('This file offer is no longer valid. Type my impact to make a new one.')];
  const { list, file } = await theFile(deps, turn, periodOf(from, to, str(context.label) || 'the period you chose'));
  await auditImpactFile(deps, turn.caller, list);
  return [{ to: 'here', content: { upload: { info: upload, body: Buffer.from(file.text, 'utf8'), retry: 'Type my impact to try again.' } } }];
};

export const onImpactFileDeclined: UseCase<FileAnswer> = async () => [say('No file was saved. Type my impact whenever you want a copy.')];
