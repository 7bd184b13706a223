/**
 * The privacy and terms pages the Teams manifest links to. Plain English,
 * short sentences: the people reading them are the people whose words the
 * bot carries.
 */
const page = (title: string, body: string) => `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - Golden Thread</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#242424}h1{font-size:1.6rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;

export const PRIVACY_HTML = page(
  'Privacy',
  `<p>Golden Thread helps make sure that what Lived Experience Practitioners (LXPs) say in meetings is recorded fairly and followed up.</p>
<h2>What we keep</h2>
<ul><li>Your name and your Microsoft Teams identity.</li>
<li>The words the meeting chair records from you, the meeting, and the date.</li>
<li>What was done with your contribution, and your answer to it.</li>
<li>Your choices: how you are named, how often you hear from us, and your quiet days.</li>
<li>When you joined and left meetings, as evidence for involvement payments.</li></ul>
<h2>Who can see it</h2>
<p>The people in the meeting, the person following your contribution up, and your programme team. A personal story you ask to keep private is seen only by you and the programme team. It never appears in reports or exports.</p>
<h2>You are in charge</h2>
<ul><li>Check each record: confirm it, correct it, make it anonymous or withdraw it. A withdrawn contribution's words are erased.</li>
<li>Type <b>my data</b> to see everything we hold about you.</li>
<li>Type <b>forget me</b> to have your words and your name erased.</li>
<li>Type <b>preferences</b> to change your choices at any time.</li></ul>
<h2>How long we keep it</h2>
<p>A closed contribution is deleted after the retention period your programme has set (six years unless they chose otherwise). The fact that it existed stays in the audit trail, without your words.</p>
<p>Your data is stored in your organisation's own Microsoft Azure account, in the United Kingdom by default.</p>`,
);

export const TERMS_HTML = page(
  'Terms of use',
  `<p>Golden Thread is provided by your programme team for recording and following up contributions in workstream meetings.</p>
<p>Use it to record what people said fairly and in their own words. Do not record anything a person has asked you not to.</p>
<p>Your organisation is responsible for the data it holds in Golden Thread, under UK GDPR and the Data Protection Act 2018. Contact your programme team with any question or complaint.</p>`,
);
