import type { Config } from './config';
import type { Logger } from './logger';
import { openStore, type OpenStore } from './storage/cosmos/open-store';
import { createAdapter, createBot, type Bot } from './teams/app';
import { azureModel } from './teams/questions';
import type { QuestionsModel } from './teams/questions';
import { createServer, type AppServer } from './server';
import type { AppDeps } from './app/route';
import { systemClock, type Clock } from './domain/ports';
import { hostname } from 'node:os';
import { createTeamsSender } from './teams/proactive';
import { jobHandlers } from './jobs/handlers';
import { jobQueue, type JobQueue } from './jobs/queue';
import { createGraphInstaller } from './teams/graph-install';
import { createGraphDeliveryCheck } from './teams/graph-delivery';
import { createGraphTranscripts } from './teams/graph-transcripts';
import { summaryAsker } from './teams/transcript-summaries';
import type { TranscriptSource } from './domain/ports';
import type { BotCredentials } from './config';

/** The bot's own identity, used for Microsoft Graph: its managed identity, or its client secret. */
async function graphCredential(bot: BotCredentials) {
  const identity = await import('@azure/identity');
  if (bot.appType === 'UserAssignedMSI') return new identity.ManagedIdentityCredential({ clientId: bot.appId });
  return new identity.ClientSecretCredential(bot.tenantId ?? 'common', bot.appId, bot.password ?? '');
}
import { programmeStores } from './domain/programme-stores';
import { MIGRATED_PROGRAMME_ID } from './domain/programme';
import { runDueJobs, type RunOptions } from './jobs/scheduler';
import { webDeps } from './web/routes';

export interface Running {
  config: Config;
  store: OpenStore;
  deps: AppDeps;
  /** Where commands queue work; index.ts lets the scheduler hear of new work (whenWorkQueued). */
  queue: JobQueue;
  bot: Bot;
  app: AppServer;
  /** What index.ts needs to start the in-process scheduler (startScheduler(deps, { ...jobs, intervalMs })). */
  jobs: Omit<RunOptions, 'scheduledAt' | 'signal'>;
}

/** Builds everything but does not listen: index.ts and end-to-end tests share it. */
export async function buildApp(
  config: Config,
  logger: Logger,
  /** `store`: an already open store (tests that need tens of thousands of turns use in-memory collections). */
  /** `transcripts`: a Graph transcript client other than the bot's own (tests point one at a local Graph stand-in). */
  opts: { clock?: Clock; questionsModel?: QuestionsModel; store?: OpenStore; transcripts?: (logger: Logger) => TranscriptSource } = {},
): Promise<Running> {
  const store =
    opts.store ??
    (await openStore({
      cosmos: config.cosmos,
      databaseName: config.databaseName,
      dataDir: config.cosmos ? undefined : config.dataDir,
    }));
  // Plain-English questions only with an Azure OpenAI deployment configured (or a scripted model in tests).
  const questionsModel = opts.questionsModel ?? (config.openAi ? await azureModel(config.openAi) : undefined);
  const clock = opts.clock ?? systemClock;
  // Until a turn resolves its programme, the tenant's first (migrated) programme is the one in use.
  const stores = programmeStores(store.stores, { programmeId: MIGRATED_PROGRAMME_ID });
  const queue = jobQueue({ stores, clock });
  const credential = config.bot && (config.graphInstall || config.graphDeliveryCheck || config.graphTranscripts) ? await graphCredential(config.bot) : undefined;
  const transcripts = opts.transcripts?.(logger) ?? (config.graphTranscripts && credential ? createGraphTranscripts({ credential, logger, baseUrl: config.graphBaseUrl }) : undefined);
  const deps: AppDeps = {
    stores,
    clock,
    settings: {
      timeZone: config.timeZone,
      followUpAfter: config.followUpAfter.parts,
      reminderEvery: config.reminderEvery.parts,
      escalateAfter: config.escalateAfter.parts,
      logGrace: config.logGrace.parts,
      meetingCloseAfter: config.meetingCloseAfter.parts,
      sessionCloseAfter: config.sessionCloseAfter.parts,
      retention: config.retention.parts,
    },
    queue,
    ...(transcripts ? { transcripts } : {}),
    // Suggestions are made after a meeting, with no turn in hand: the summaries use the same model and prompts folder.
    ...(transcripts && questionsModel ? { summarise: summaryAsker(questionsModel) } : {}),
    logger,
    questions: !!questionsModel,
  };
  const adapter = createAdapter({ config, logger });
  const installer = config.graphInstall && credential && config.teamsAppId
    ? createGraphInstaller({ teamsAppId: config.teamsAppId, baseUrl: config.graphBaseUrl, credential })
    : undefined;
  const deliveryCheck = config.graphDeliveryCheck && credential
    ? createGraphDeliveryCheck({ teamsAppId: config.teamsAppId, baseUrl: config.graphBaseUrl, credential })
    : undefined;
  const sender = createTeamsSender(adapter, deps, { appId: config.bot?.appId ?? '', sendRate: config.teamsSendRate, tenantRate: config.teamsTenantRate, logger, installer, deliveryCheck });
  const bot = createBot({ deps, config, logger, sender }, adapter, { questionsModel });
  const jobs: Running['jobs'] = { handlers: jobHandlers(), sender, owner: `${hostname()}:${process.pid}`, leaseMs: config.jobLease.ms, logger };
  const tick = async () => runDueJobs(deps, { ...jobs, scheduledAt: deps.clock.now() });
  const app = createServer({ config, logger, bot, storeKind: store.kind, tick, web: webDeps(config, deps, logger) });
  return { config, store, deps, queue, bot, app, jobs };
}
