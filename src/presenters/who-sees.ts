/**
 * Who can read what Golden Thread posts, said once so the onboarding card, the log card and the README say the
 * same thing (test/cards/who-sees.test.ts checks the README quotes these sentences). A private meeting's chat is
 * read by everyone in that chat, which includes people added after the meeting; a channel meeting's chat is the
 * channel, read by every member of the team whether or not they came. LXPs consent to this, so it is plain.
 */
export const WHO_SEES_MINUTES =
  'Who can see the minutes: in a private meeting, everyone in the meeting chat, including anyone added to the chat later; in a channel meeting, everyone in the channel, even people who were not at the meeting.';

export const WHO_SEES_OTHERS =
  'The person following it up and the programme team see it too. A personal story is kept in confidence unless you say it may be shown: then only you and the programme team can read it.';
