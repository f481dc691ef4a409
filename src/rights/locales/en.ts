// Trustline's own pages in English, written from the university's policy. An installation
// replaces them with its own file (RIGHTS_PAGES, see docs/admin-guide.md).
export default `
start: index
contacts: |
  At the university:
  • Psychological Service: free, confidential conversations with a psychologist. Mon–Fri 9:00–18:00. Ask the counsellor here to arrange one.
  • Inclusive Center: support for students and staff with disabilities or special needs, and for anyone treated unfairly. Mon–Fri 9:00–18:00.
  Outside the university:
  • 111: contact centre for family, women and children (free, 24/7)
  • 150: helpline for children and young people (free, 24/7)
  • Free legal aid: the regional bar association gives free consultations to those entitled to state-guaranteed legal aid; the counsellor can tell you how to ask.
  • 112: emergency
pages:
  index:
    title: Your rights and the procedure
    text: |
      The university's policy protects every student, member of staff, intern and visitor from discrimination, harassment, bullying, mobbing, retaliation and gender-based violence.
      You can read here what these words mean, what happens after a report, and where to get help. Reading leaves no trace in the hotline: nothing is stored about who read what.
    links: [definitions, after-report, retaliation, anonymity, help, emergency]
  definitions:
    title: What counts
    text: |
      What the policy names, each with its own examples. If you are not sure whether what happened "counts", you can ask a counsellor first, without a report.
    links: [discrimination, harassment, sexual-harassment, online-harassment, bullying, mobbing, victimization, violence, index]
  discrimination:
    title: Discrimination
    text: |
      Being treated worse than others because of who you are: gender, ethnicity, age, disability or health, social or economic background.
      In studies it includes biased grading, and being refused a scholarship, an exchange or a project for these reasons.
    links: [definitions, index]
  harassment:
    title: Harassment
    text: |
      Unwanted behaviour that humiliates, frightens or offends:
      • in words: insults, mockery, threats;
      • without words: staring, offensive pictures or gestures;
      • physical: unwanted touching.
    links: [sexual-harassment, online-harassment, definitions, index]
  sexual-harassment:
    title: Sexual harassment
    text: |
      Unwanted attention of a sexual kind: propositions, comments about your body, explicit pictures or messages, and above all demands or threats tied to grades, a job or a career ("be nicer to me and you will pass").
      It is never your fault, and it does not matter whether you said no out loud.
    links: [harassment, definitions, index]
  online-harassment:
    title: Online harassment
    text: |
      The same harm in chats and social networks: insults, rumours, abuse in student chats, and sharing someone's photos or videos without their consent.
      Publishing someone's personal data, photos included, without consent is also an offence under Kazakhstan's law on personal data.
      Screenshots help a counsellor understand what happened; you can send them with your report.
    links: [harassment, definitions, index]
  bullying:
    title: Bullying among students
    text: |
      Repeated hostility from other students: mockery, exclusion from the group, threats, damage to your things, humiliation in person or online.
    links: [definitions, index]
  mobbing:
    title: Mobbing at work
    text: |
      Repeated pressure on a member of staff from colleagues or managers: constant criticism, excessive workload, being cut off from information or meetings, being pushed to leave.
    links: [definitions, index]
  victimization:
    title: Retaliation for a complaint
    text: |
      Being punished because you complained or were a witness: worse grades, exclusion from projects, pressure to withdraw a complaint. The policy forbids it, and it is a complaint of its own.
    links: [retaliation, definitions, index]
  violence:
    title: Gender-based violence
    text: |
      Violence or threats against someone because of their gender, including by a partner: physical, sexual, psychological or economic.
      If you are in danger now, call 112. If you can, tell the counsellor here: they can help with protection and support.
    links: [emergency, help, definitions, index]
  after-report:
    title: What happens after a report
    text: |
      1. A counsellor on duty reads it and answers you here. Outside working hours you are told when.
      2. Initial confidential consideration: the counsellor looks at what happened with you and says what can be done. Nothing goes further without your agreement, unless someone is in danger.
      3. If a formal complaint is made, the university's commission carries out an internal investigation, hearing both sides. It decides, not the counsellor.
      4. Measures: disciplinary or administrative measures, and support for you (changing a group or supervisor, psychological and legal help).
      You can follow your case here with /status, add to it at any time, withdraw it (/withdraw) or erase it (/forget).
    links: [retaliation, anonymity, index]
  retaliation:
    title: Protection from retaliation
    text: |
      No one may be punished for reporting in good faith or for being a witness. Worse grades, exclusion from projects or pressure after a complaint are retaliation.
      If it happens: write about it on your case here, or start a new report with /new and choose "Retaliation for a complaint". Note dates and keep screenshots.
    links: [after-report, index]
  anonymity:
    title: Staying anonymous
    text: |
      Counsellors never see your phone number, Telegram account or name: only a case code. They learn who you are only if you tell them.
      What you write can still point to you (a date, a place, a detail only you know). Write what you are comfortable with; the counsellor will ask if they need more.
      An anonymous report can be harder to investigate formally, but it is always read and answered, and it counts in the university's annual figures.
      On a shared phone: /wipe clears this chat, /quiet sets hours when nothing comes here.
    links: [after-report, index]
  help:
    title: Psychological and legal help
    text: |
      You do not have to report to get help.
      {contacts}
    links: [emergency, index]
  emergency:
    title: Emergency numbers
    text: |
      If you are in danger right now, call:
      {emergency}
    links: [help, index]
`;
