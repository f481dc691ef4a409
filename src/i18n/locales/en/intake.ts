export default `
## The intake conversation. Questions are ask-<step>, answer options opt-<step>-<value>;
## .aliases lists extra words a reporter may type for an option (comma-separated).

ask-language = Choose your language:
opt-language-kk = Қазақша
    .aliases = kazakh, kz
opt-language-ru = Русский
    .aliases = russian, rus
opt-language-en = English
    .aliases = eng
ask-consent =
    Trustline is the university's confidential hotline for reports of discrimination, harassment, bullying and violence.
    • What you write is encrypted as soon as it arrives. Counsellors see only a case code, never your name, number or account.
    • You may stay anonymous. Share a name or contact only if you want to.
    • Your report is kept only as long as the university's policy requires, and you can erase it yourself at any time with /forget.
    • Nothing reaches a counsellor until you confirm it at the end.
    If you are in danger right now, call:
    { $numbers }
    At any step: /help, /language, /cancel.
opt-consent-continue = I understand, continue
    .aliases = continue, ok, yes
opt-consent-stop = Not now
ask-way = What would you like to do? You can also read first and decide later.
opt-way-report = Report what happened
    .aliases = report
opt-way-ask = Ask a counsellor first
    .aliases = ask, question
opt-way-read = Read about my rights and the procedure
    .aliases = read, rights
ask-question = Write your question. You do not have to give names or details: a counsellor on duty will answer here. This is not a complaint, and nothing becomes one unless you decide so.
opt-question-report = I would rather report what happened
ask-danger = Are you in danger right now?
opt-danger-yes = Yes, I am in danger
    .aliases = yes, y
opt-danger-no = No
    .aliases = n
ask-category = What happened? Choose what fits best.
opt-category-discrimination = Discrimination
opt-category-harassment = Harassment
opt-category-bullying = Bullying among students
    .aliases = bullying
opt-category-mobbing = Mobbing: pressure at work
    .aliases = mobbing
opt-category-victimization = Retaliation for a complaint
    .aliases = retaliation, victimization
opt-category-violence = Gender-based violence
    .aliases = violence
opt-category-other = Something else
    .aliases = other
ask-discrimination = Discrimination on what grounds?
opt-discrimination-gender = Gender
opt-discrimination-ethnic = Ethnicity
opt-discrimination-age = Age
opt-discrimination-disability = Disability or health
    .aliases = disability, health
opt-discrimination-socioeconomic = Social or economic status
opt-discrimination-academic = Academic: grades, scholarships, exchanges
    .aliases = academic
opt-discrimination-other = Other grounds
    .aliases = other
ask-harassment = What kind of harassment?
opt-harassment-verbal = Verbal: insults, threats
    .aliases = verbal
opt-harassment-nonverbal = Non-verbal: staring, gestures, images
    .aliases = non-verbal, nonverbal
opt-harassment-physical = Physical: unwanted touching
    .aliases = physical
opt-harassment-sexual = Sexual
opt-harassment-online = Online
ask-about-staff = Is this about someone who works at this hotline or at the counselling service itself?
opt-about-staff-yes = Yes
    .aliases = y
opt-about-staff-no = No
    .aliases = n
opt-about-staff-unsure = I'd rather not say
    .aliases = not say, unsure
ask-affected = Who was affected?
opt-affected-me = Me
opt-affected-someone = Someone else
opt-affected-witness = I saw it happen to someone
    .aliases = witness
ask-when = Roughly when did it happen? Choose, or write it in your own words.
opt-when-today = Today
opt-when-week = This week
opt-when-month = This month
opt-when-earlier = Earlier
ask-where = Where did it happen? Choose, or write it in your own words.
opt-where-campus = On campus
    .aliases = campus
opt-where-dormitory = In a dormitory
    .aliases = dormitory, dorm
opt-where-online = Online
opt-where-offcampus = Off campus
ask-ongoing = Is it still going on?
opt-ongoing-yes = Yes
    .aliases = y
opt-ongoing-no = No
    .aliases = n
opt-ongoing-unsure = Not sure
ask-account =
    Please describe what happened, in your own words. You can send several messages.
    When you have finished, tap “Done”.
opt-account-done = Done
ask-evidence = If you have evidence (photos, screenshots, documents, voice messages), send it now: up to { $max } files, each up to { $limit }. It is encrypted like your messages. Then tap “Continue”, also if you have none.
opt-evidence-done = Continue
    .aliases = done, skip, no
ask-contact = Do you want to stay anonymous?
opt-contact-anonymous = Stay anonymous
    .aliases = anonymous
opt-contact-share = Share a name or contact
ask-contact-details = Write the name and the contact you want the counsellor to have. They are encrypted and shown only to the counsellor.
opt-contact-details-anonymous = Stay anonymous after all
    .aliases = anonymous
ask-review =
    Please check your report:

    { $summary }

    Nothing has been sent yet.
opt-review-send = Send
opt-review-edit = Change an answer
opt-review-cancel = Delete and stop
ask-edit = What do you want to change?
opt-edit-category = What happened
opt-edit-about-staff = About the service's own staff
opt-edit-affected = Who was affected
opt-edit-when = When
opt-edit-where = Where
opt-edit-ongoing = Still going on
opt-edit-account = Rewrite the account
opt-edit-evidence = Add evidence
opt-edit-contact = Anonymity
opt-edit-back = Back to the report
ask-confirm-cancel = Stop and delete your answers? Nothing has been sent.
opt-confirm-cancel-yes = Yes, delete
    .aliases = yes, y
opt-confirm-cancel-no = No, continue
    .aliases = no, n
ask-confirm-withdraw = Withdraw case { $code }? The counsellor will be told that you withdrew it, and the case will be closed.
opt-confirm-withdraw-yes = Yes, withdraw
    .aliases = yes, y
opt-confirm-withdraw-no = No
    .aliases = n
ask-confirm-forget = Erase case { $code } for good? Its key will be destroyed: nobody, the counsellors included, can read it again, and no more answers can reach you in it. This cannot be undone.
opt-confirm-forget-yes = Yes, erase it
    .aliases = yes, y
opt-confirm-forget-no = No, keep it
    .aliases = no, n
ask-resume = To return to your case from this account, send the case code and the secret phrase in one message, for example: K7Q-4FD apple river cloud lamp
opt-resume-back = Back

## Answers and notices
emergency-number = { $key ->
    [n112] 112: unified emergency service
    [n102] 102: police
    [n103] 103: ambulance
    [n111] 111: contact centre for family, women and children
    [n150] 150: helpline for children and young people
   *[other] { $number }
  }
urgent-alert =
    🆘 If you are in danger right now, call:
    { $numbers }
    Your report is marked urgent and a counsellor is being alerted now.
urgent-opened = Your case code is { $code }. A counsellor will answer here. If you can, go on answering the questions, or simply write here.
invalid-choose = Please choose one of the answers: tap a button, or type its number or its words.
invalid-empty = Your message looks empty. Please write in words.
invalid-need-account = Please first write at least a few words about what happened. You can send several messages.
invalid-send-files = Send photos, documents or voice messages here, or tap “Continue”.
noted = I kept what you wrote: the counsellor will see it with your report.
noted-choose = I kept what you wrote: the counsellor will see it with your report. To go on, answer the question below.
ask-more-questions = Your messages go straight to the counsellor. A few questions are left that would help them; you can answer them now or stop here. Either way, write here whenever you want.
opt-more-questions-continue = Continue the questions
opt-more-questions-stop = Stop asking
questions-stopped = No more questions. Write here whenever you want: everything goes to the counsellor, who will answer here. Your case code is { $code }.
account-received = Received ({ $count }). Write more, or tap “Done”.
stale = That question was already answered; here is the current one.
evidence-added = File received and encrypted ({ $count } of { $max }).
evidence-too-big = This file is too big ({ $size }); the limit is { $limit }. Please send a smaller file or a screenshot, or describe it in words. Nothing else was lost.
evidence-too-many = One report can hold { $max } files, and you have sent them all. Please describe anything else in words.
evidence-failed = This file could not be received. Please send it again.
evidence-unsupported = { $kind ->
    [sticker] Stickers
    [photo] Photos
    [video] Videos
    [voice] Voice messages
    [audio] Audio files
    [document] Files
    [location] Locations
    [contact] Contacts
   *[other] Messages of this kind
  } cannot be passed on. Please describe it in words.
file-passed-on = File passed on to the counsellor, encrypted.
about-staff-no-oversight = Thank you for telling us. So that you can decide with all the facts: this hotline has no separate team for reports about its own staff, so this report would be read by the counselling team on duty. { $contacts ->
        [none] You can also take it to the university's ethics commission or another body named in the policy.
       *[some] You can also take it to: { $contacts }
    } You can go on, or stop at any time with /cancel.
about-staff-oversight = Thank you for telling us. This report will not go to the counselling team: it goes only to the oversight group, people outside the team who look into reports about the hotline's own staff. You can go on, or stop at any time with /cancel.
evidence-cleaned = 🧹 Before anyone sees your files, Trustline removes what they say about you: location, phone model, author names, edit history. What is visible in them stays: a screenshot can still show your name, phone number or photo, so crop or cover those if you can.
evidence-not-cleaned = ⚠️ Files of this type cannot be cleaned of hidden data (such as an author's name). It was passed on, and the counsellor is warned. If that worries you, send a screenshot of it instead.
evidence-voice-masked = 🎭 Your voice is disguised before a counsellor hears it: lower, still clear. Your own voice is not kept.
evidence-voice-failed = This voice message could not be played back, so it was not passed on (your voice is only ever passed on disguised). Please record it again, or write it.
voice-answer = 🎤 Voice message (evidence file { $count })
cancelled = Stopped. Nothing was sent and your answers were deleted. Write at any time to start again.
receipt =
    ✅ Your report was sent. A counsellor will answer here, in this chat.
    Case code: { $code }
    Secret phrase: { $passphrase }
    Write the code and the phrase down somewhere safe, then delete this message. With them you can return to your case from another account or phone: send /resume there.
    You can keep writing here at any time. Commands: /status, /withdraw, /forget, /help.
help =
    How to answer: tap a button, or type the number or the words of an answer.
    /cancel stops and deletes your answers · /language changes the language · /resume returns to an earlier case · /help shows this.
    /rights: your rights, what happens after a report, where to get help.
    If you are in danger right now, call:
    { $numbers }
help-after =
    Your case is { $code }. Write here at any time: your messages go to the counsellor, encrypted, and answers come back here.
    /status shows where the case is · /withdraw withdraws it · /forget erases it for good · /language changes the language.
    /quiet 22:00-08:00 keeps messages from coming here at those hours (/quiet off: any time).
    /new starts a second, separate report · /status lists your cases.
    /rights: your rights, what happens after a report, where to get help.
    If you are in danger right now, call:
    { $numbers }
ask-quiet = Are there hours when you would rather not get messages here, for example because someone else may see your phone? Answers that come then wait until the morning. You can change this at any time with /quiet (for example /quiet 23:00-07:00, or /quiet off).
opt-quiet-night = Not from 22:00 to 08:00
    .aliases = night
opt-quiet-any = Any time is fine
    .aliases = any, anytime
quiet-set = 🌙 Done: from { $from } to { $to } nothing will come here; what the counsellor writes then arrives at { $to }. /quiet off lets everything through at once.
quiet-off = Done: messages come here at any time.
quiet-usage = Write the hours when nothing should come, for example /quiet 22:00-08:00, or /quiet off for any time.
quiet-later = Quiet hours can be set once your report is sent; you will be asked then.
continue = Let us continue where you left off.
draft-status = Your report has not been sent yet: answer the questions and confirm it at the end. /cancel deletes it.
status =
    Case { $code }: { case-status }.
    Answers from the counsellor so far: { $answers }.{ $stage ->
        [none] {""}
       *[other] {"\\u000A"}{ status-next }
    }
status-next = { $stage ->
    [new] A counsellor will answer you by { $due }.
    [acknowledged] The first, confidential consideration of your report should be done by { $due }.
    [under-consideration] A decision on your complaint is due by { $due }.
    [investigation] The investigation should be completed by { $due }.
   *[other] The next step is due by { $due }.
  }
case-status = { $status ->
    [new] received, waiting for a counsellor
    [acknowledged] seen by a counsellor
    [under-consideration] under initial confidential consideration
    [investigation] under investigation
    [measures-taken] measures have been taken
    [closed] closed
    [withdrawn] withdrawn
   *[other] open
  }
withdrawn = Case { $code } is withdrawn and closed; the counsellor was told. { $next ->
    [none] If you write again, a new report starts.
   *[other] What you write now goes to your case { $next }.
  }
forgotten = Case { $code } was erased: its key is destroyed and nobody can read it any more. The counsellors were told. { $next ->
    [none] If you write again, a new report starts.
   *[other] What you write now goes to your case { $next }.
  }
new-case-started = A new report, separate from case { $code }: it gets its own code and secret phrase, and the counsellors do not see that the two come from the same person. Case { $code } stays open, and its answers still come here. Nothing is sent until you confirm at the end; /cancel stops.
new-during-intake = You are writing a new report already: answer the questions and confirm it at the end. /cancel deletes it.
consult-receipt =
    ✅ Your question was passed on. A counsellor will answer here, in this chat. It is a confidential consultation, not a complaint.
    Code: { $code }
    Secret phrase: { $passphrase }
    Write them down somewhere safe, then delete this message: with them you can return to this conversation from another account (/resume). /forget erases it.
    If you decide to file a report, send /report: the report's questions keep this conversation as part of it.
opt-to-report-yes = 📋 I want to file a report
already-report = Case { $code } is already a report. To report something else, send /new.
to-report-started = Let us turn { $code } into a report. The conversation so far stays part of it. Answer what you can; nothing becomes a complaint until you confirm at the end.
receipt-converted = ✅ Your report was sent: { $code } is now a report, with the same code and secret phrase as before. The counsellor will answer here. Commands: /status, /withdraw, /forget, /help.
offer-report = 📋 The counsellor suggests that you turn { $code } into a report, if you want to. The questions keep your conversation as part of it, and nothing becomes a complaint until you confirm at the end. Tap the button below, or send /report. You can also stay with a consultation.
rights-continue = ↩️ Back to the report
receipt-alongside = What you write here now goes to case { $code }. { $count ->
    [one] Your case { $others } stays open too.
   *[other] Your cases { $others } stay open too.
  } Answers are marked with their case, and your reply goes to the case of the last answer. /status lists your cases and lets you choose.
writing-to = ✍️ What you write now goes to case { $code }. /status to choose another case.
ask-case = Which case should your messages go to?
opt-case = ✍️ Case { $code }
case-not-open = Case { $code } is not open any more, so messages cannot go to it. /status lists your cases.
wiped-telegram = 🧹 I deleted what I could of this conversation from this chat: Telegram lets the bot remove the messages of the last 48 hours, yours included. To remove everything, delete the chat on your side as well: open the chat → ⋮ (or tap the bot's name) → Delete chat, and tick “Also delete for …” if it is offered.
wiped-whatsapp = 🧹 The bot cannot delete WhatsApp messages from your phone. To remove this conversation, clear the chat: open it → ⋮ → More → Clear chat (on iPhone: tap the name at the top → Clear chat).
wipe-kept = Your case and your answers are kept, encrypted: only this chat was cleared.
nothing-to-cancel = Your report { $code } has already been sent. To withdraw it send /withdraw; to erase it send /forget.
nothing-sent = Nothing has been sent yet, so there is nothing to withdraw or erase. /cancel deletes your answers.
resume-ok = Welcome back: this chat is case { $code } again. Counsellor answers now come here, and no longer to the old account.
resume-failed = The case code or the secret phrase is not right. Attempts left this hour: { $left }.
resume-limited = Too many attempts. Please try again in an hour.
resume-busy = Many people are trying to return to their cases right now. Please try again in a minute; this did not count as an attempt.
resume-has-case = This account already has case { $code }. To return to another case, first withdraw (/withdraw) or erase (/forget) this one.
unknown-command = “/{ $command }” is not a command here, and it was not added to your report. The commands are /help, /status, /language, /cancel, /withdraw, /forget and /resume.
resume-not-code = That does not look like a case code and a secret phrase, so it was not taken as /resume and cost no attempt. To return to a case, send its code and phrase in one message, for example: K7Q-4FD apple river cloud lamp
button-after-sent = Your report { $code } has already been sent, so that button does nothing now. To add something, simply write here.
reminder = You started a report but have not finished it. Your answers are kept, encrypted, for about { $hours } more hours and then deleted; nothing is sent until you confirm. To go on, answer:
expired = Your unfinished report was deleted because nothing was added for a long time. Nothing was sent. Write at any time to start again.
menu-hint = Reply with a number.
summary-anonymous = anonymous
summary-none = not given
field-category = What happened
field-about-staff = About the service's own staff
field-affected = Who was affected
field-when = When
field-where = Where
field-ongoing = Still going on
field-account = Account
field-evidence = Evidence
field-evidence-count = { $count ->
    [one] 1 file
   *[other] { $count } files
  }
field-contact = Contact
field-notes = Also written

## Staff chat
staff-report = { $urgent ->
    [yes] 🚨 URGENT ·
   *[no] 📋
  } { $complete ->
    [yes] Report
   *[no] Report so far (the reporter is still answering)
  } · { $code }
staff-answer = 📝 Answer added · { $code }
staff-unanswered = Not answered yet: { $questions }
staff-all-answered = All questions are answered.
staff-event = { $event ->
    [withdrawn] ↩️ The reporter withdrew the case.
    [urgent] 🚨 Now urgent: the reporter's message suggests danger. They were given the emergency numbers.
    [resumed] 🔁 The reporter came back to this case from another account; answers now go there.
    [questions-stopped] ⏹ The reporter does not want to answer more questions. Ask in your own words what you need to know.
    [questions-left] ⏹ The reporter left the questions unfinished; what they answered is above.
    [became-report] 📋 The reporter turned this consultation into a report (confirmed at the review).
   *[other] ℹ️ { $event }
  }
staff-deleted-neutral = 🗑 Deleted: this case was erased.
staff-case-deleted = 🗑 Case { $code } was { $reason ->
    [forget] erased at the reporter's request
    [staff] erased by an admin at the reporter's request
    [moved] moved to the oversight group (it concerns the hotline's own staff)
   *[other] shredded at the end of its retention period
  }. Its messages in this chat were deleted{ $neutral ->
    [0] {""}
   *[other] ; { $neutral } older ones of the bot's now say “Deleted”
  }.{ $left ->
    [0] {""}
   *[other] {" "}⚠️ { $left } could not be removed (older than 48 hours and not the bot's, or files): please delete them by hand. /audit lists this.
  }
staff-file = 📎 { $media ->
    [photo] Photo
    [voice] Voice message
    [audio] Audio
    [video] Video
   *[other] File
  }
staff-file-not-cleaned = ⚠️ This type of file could not be cleaned of hidden data (author, location, device): it is attached as a download, as sent. Open it only if you need to.
staff-file-masked = 🎭 Voice masked: the reporter's own voice was not kept.


## Words that work as commands when sent alone (WhatsApp has no command menu)
command-help = /help
    .menu = What this bot can do
    .aliases = help, menu
command-language = /language
    .menu = Change the language
    .aliases = language
command-cancel = /cancel
    .menu = Stop the questions and delete my answers
    .aliases = cancel, stop
command-status = /status
    .menu = Where my case stands
    .aliases = status
command-start = /start
    .menu = Start a report
command-withdraw = /withdraw
    .menu = Withdraw my case
command-forget = /forget
    .menu = Erase my case for good
command-resume = /resume
    .menu = Continue my case from another account (code and phrase)
command-wipe = /wipe
    .menu = Clear this chat from my phone (the case stays)
command-quiet = /quiet
    .menu = Hours when nothing should come here
command-new = /new
    .menu = Start a second, separate report
command-rights = /rights
    .menu = My rights, what happens after a report, help
    .aliases = rights
command-report = /report
    .menu = Turn my question into a report
`;
