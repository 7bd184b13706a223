import { startMemoryBot } from '../support/memory-bot';
import { cardOf, cardText, type BotUnderTest } from '../support/e2e';
import { as, people, textOf } from '../support/talk';
import { MEETING_CHAT_ID, personalConversationId } from '../harness/activities';
import { inFirstProgramme } from '../support/scenario';

// Issue 17: `preferences` in a shared chat said "I have sent them to you in our personal chat" and sent nothing.
describe('preferences typed in a shared chat', () => {
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startMemoryBot({ LOG_LEVEL: 'silent' });
    // Preferences belong to a programme (issue 18): Sam and Alex are in one.
    await inFirstProgramme(bot.running.deps, people.sam, people.alex);
  });
  afterEach(async () => bot.close());

  it('sends the preferences card 1:1, and the chat is told so without the details', async () => {
    await as(bot, people.sam).say('help'); // so the bot has Sam's personal chat
    const before = bot.stub.sentActivities(personalConversationId(people.sam)).length;
    const inChat = await as(bot, people.sam).mention('preferences', MEETING_CHAT_ID);
    const chatText = textOf(inChat.filter((s) => s.conversationId === MEETING_CHAT_ID));
    expect(chatText).toContain('personal chat');
    expect(chatText).not.toContain('How you are named');
    const personal = bot.stub.sentActivities(personalConversationId(people.sam)).slice(before);
    expect(personal).toHaveLength(1);
    expect(JSON.stringify(cardOf(personal[0].activity))).toContain('preferences_save');
  });

  it('when the bot cannot write 1:1, the chat is told how to get them, not that they were sent', async () => {
    await as(bot, people.alex).say('help');
    bot.stub.failNext({ status: 403 }, { match: (c) => c.conversationId === personalConversationId(people.alex) });
    const inChat = await as(bot, people.alex).mention('preferences', MEETING_CHAT_ID);
    const text = textOf(inChat);
    expect(text).not.toContain('I have sent');
    expect(text).toContain('preferences');
    expect(cardText(cardOf(inChat[0]?.activity) ?? {})).toBe('');
  });
});
