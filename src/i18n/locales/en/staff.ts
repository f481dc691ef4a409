// Duty roster, routing and case handling: staff-facing texts (STAFF_LANG) and what
// the reporter is told about their case. Same ids in kk/staff.ts and ru/staff.ts.
export default `
status-name = { $s ->
        [new] new
        [acknowledged] acknowledged
        [under-consideration] under consideration
        [investigation] investigation
        [measures-taken] measures taken
        [closed] closed
       *[withdrawn] withdrawn
    }
role-name = { $r ->
        [admin] admin
        [supervisor] supervisor
        [oversight] oversight
       *[counsellor] counsellor
    }
staff-someone = counsellor
staff-recused-cannot-answer = ℹ️ You recused yourself from this case, so your message was not sent to the reporter.
staff-menu = Trustline staff commands
    .take = Take this case (acknowledges it)
    .status = Show or set this case's status
    .transfer = Pass this case to a colleague
    .recuse = Step back from this case
    .escalate = Move this case to the oversight group (it concerns our staff)
    .followup = Check on the reporter later, e.g. /followup 14d
    .t = Answer with a saved template
    .label = Label this case, e.g. /label referred
    .history = What happened to this case (no texts)
    .record = Record what was established: category, breach, measures, outcome
    .cases = Open cases (/cases mine, waiting, overdue, urgent, label WORD)
    .oncall = Who is on duty now
    .roster = This week's duty rota
    .away = Mark yourself away
    .swap = Swap a shift with a colleague
    .shift = Shifts (admins change them)
    .templates = Saved answers
    .staff = Staff list (admins)
    .audit = Audit log (admins)
    .health = Open cases in every staff chat, counted (admins)
    .hold = Keep a case past its retention period (admins)
    .erase = Erase a case for good, at its reporter's request (admins)
    .offer = Suggest to the reporter of a consultation that they file a report
    .contacts = Send the reporter the help contacts (psychological, legal, emergency)
    .block = Stop an abusive reporter's messages (admins)
    .unblock = Lift a block (admins)
    .report = Annual report, e.g. /report 2026 (admins)
    .open = Read a case you do not hold (supervisors)
    .help = All commands and how to use them
# What a staff command answers when its arguments do not read (one attribute per command).
staff-usage =
    .escalate = Usage: /escalate oversight reason: moves the case to the oversight group when it concerns someone at the hotline or the counselling service. It is deleted from this chat and nobody here holds it any more. The reason goes to the audit log, encrypted.
    .report = Usage: /report 2026 (admins only): the annual monitoring report as HTML and CSV files.
    .staff = Usage: /staff add @name kk,ru (add “admin”, “supervisor”, “oversight” (a member of the oversight group) or “escalation” if needed; or reply to their message with /staff add) · /staff remove @name · /staff list With STAFF_CHATS, add the names of their chats (main is this one), e.g. /staff add @name kk main kazakh.
    .shift = Usage: /shift add @name mon-fri 09:00-18:00 (18:00-09:00 runs past midnight) · /shift remove ID · /shift list
    .away = Usage: /away 3d · /away 2025-05-12 · /away 2025-05-12 2025-05-14 · /away until 2025-05-20 · /away off
    .swap = Usage: /swap @name 2025-05-12 gives your shift that day to a colleague; admins: /swap @from @to 2025-05-12
    .status = Usage: /status STATE, one of: { $statuses }
    .followup = Usage: /followup 14d (or 3d, 12h) · /followup list · /followup cancel
    .hold = Usage (admins, in a case): /hold REASON keeps the case past its retention period, e.g. for a formal procedure · /hold off lifts it
    .block = Usage (admins, in a case): /block REASON stops the reporter's messages from reaching this chat and keeps them from opening new cases for a while; nobody learns who they are. /unblock lifts it.
    .templates = Usage: /templates · /templates set name kk text · /templates remove name [kk]
    .cases = Usage: /cases (all open cases) · /cases mine · /cases unassigned · /cases waiting · /cases overdue · /cases urgent · /cases label WORD
    .label = Usage, in a case: /label WORD adds a label · /label remove WORD · /label shows them. A label is one word: letters, digits, - and _.
    .record = Usage, in a case: /record shows what is recorded, with buttons to change it · /record breach yes · /record measures mediation · /record outcome resolved · /record category harassment.verbal
    .open = Usage (supervisors, need-to-know mode): /open CODE sends you case CODE to read in your private chat with the bot; its counsellor is told, and it is recorded in the audit log.
duty-assigned = 👤 Assigned to { $who }. Please acknowledge within { $minutes } min: /take, or simply answer.
duty-assigned-urgent = 🚨 Urgent case, assigned to { $who }.{ $count ->
        [0] { "" }
       *[other] { " " }Also notified: { $others }.
    } Please acknowledge within { $minutes } min: /take, or simply answer.
duty-turned-urgent = 🚨 Now urgent: everyone on duty, please look.{ $state ->
        [open] { " " }{ $who }, please answer within { $minutes } min.
        [held] { " " }{ $who } holds it.
       *[nobody] { " " }Nobody holds it: please /take it now.
    }{ $count ->
        [0] { "" }
       *[other] { " " }Also notified: { $others }.
    }
duty-waiting = 🌙 Nobody is on duty now. This case will be assigned when the next shift starts ({ $next }); anyone on staff can /take it before then. The reporter was told when to expect an answer and where urgent help is.{ $urgent ->
        [yes] { " " }🚨 Urgent: { $others }
       *[no] { "" }
    }
duty-waiting-no-shift = 🌙 Nobody is on duty and no shift is planned in the next two weeks: an admin should check the roster (/roster, /shift add). Anyone on staff can /take this case.{ $urgent ->
        [yes] { " " }🚨 Urgent: { $others }
       *[no] { "" }
    }
duty-escalated = ⏰ Not acknowledged within { $minutes } min. Now assigned to { $who }: please /take it or answer.
duty-admins-called = ⏰ Still not acknowledged after { $minutes } min and nobody else is on duty. { $who }: please make sure someone takes this case.
duty-reopened = 🔄 The reporter wrote again, so the case is open again (under consideration). { $who }, it is still yours.
duty-reopened-unassigned = 🔄 The reporter wrote again, so the case is open again (under consideration) and goes to whoever is on duty.
duty-followup-sent = 📬 The scheduled check-in was sent to the reporter. Their answer will appear here.
reporter-off-hours =
    No counsellor is on duty right now. The next shift starts { $next }, and a counsellor will answer you here then. Your messages are saved; you can keep writing.
    If you are in danger now:
    { $numbers }
reporter-off-hours-unknown =
    No counsellor is on duty right now; a counsellor will answer you here as soon as possible. Your messages are saved; you can keep writing.
    If you are in danger now:
    { $numbers }
reporter-status = Update on your case { $code }: { $status ->
        [acknowledged] a counsellor has taken up your case and will stay in touch with you here.
        [under-consideration] your report is now under initial confidential consideration.
        [investigation] an internal investigation has started. Your identity stays protected.
        [measures-taken] measures have been taken on your report.
        [closed] your case is closed. If something happens again, or if anyone treats you worse because you reported, write here at any time and the case will be reopened.
       *[other] its status has changed.
    }
reporter-followup = Hello. A counsellor is checking in about your case { $code }: how are things now? Has anything happened since, or has anyone treated you worse because you reported? You can answer here; only the counsellor sees it.
cmd-not-staff = ℹ️ Only Trustline staff can use commands here. Nothing was done.
cmd-not-admin = ℹ️ Only admins can do that. Nothing was changed.
report-ready = 📊 The monitoring report for { $year } ({ $reports } reports; counts under the threshold shown as <5): the HTML page with charts and the CSV tables follow.
cmd-needs-case = ℹ️ This command works inside a case topic (or as a reply to a message of the case).
cmd-unknown = ℹ️ Unknown command /{ $name }. /help lists the commands.
cmd-busy = ⏳ Someone else is changing this case right now; please try again in a moment.
cmd-case-gone = ℹ️ This case no longer exists.
cmd-case-finished = ℹ️ This case is { $status }. A closed case is reopened with /status under-consideration.
cmd-need-person = ℹ️ Who? Mention them (@name) or reply to one of their messages.
cmd-person-unknown = ℹ️ { $who } is not active staff.
cmd-person-unseen = ℹ️ I do not know { $who } yet. Ask them to write any message in this chat, then send the command again (or reply to their message with /staff add).
cmd-not-staff-target = ℹ️ That person is not active staff.
cmd-staff-added = ✅ { $who } added as { $role } · languages: { $langs } · escalation contact: { $escalation ->
        [yes] yes
       *[no] no
    }.
cmd-staff-updated = ✅ { $who } updated: { $role } · languages: { $langs } · escalation contact: { $escalation ->
        [yes] yes
       *[no] no
    }.
cmd-staff-removed = ✅ { $who } removed from staff: no more answers or commands from them. Open cases passed on: { $cases }.
cmd-staff-not-active = ℹ️ { $who } is not active staff.
cmd-staff-config-admin = ℹ️ { $who } is an admin from STAFF_ADMIN_IDS; remove them there and restart Trustline instead.
cmd-shift-added = ✅ Shift { $id }: { $who }, { $days } { $start }–{ $end }.
cmd-shift-removed = ✅ Shift { $id } of { $who } removed.
cmd-shift-unknown = ℹ️ There is no shift { $id }. /shift list shows the ids.
cmd-away-set = ✅ { $who } is away from { $from } to { $to }.
cmd-away-bad-range = ℹ️ That period is over or empty. Examples: /away 3d, /away 2025-05-12, /away 2025-05-12 2025-05-14.
cmd-away-cleared = ✅ { $who } is back ({ $count } away periods removed).
cmd-swap-same = ℹ️ That is the same person.
cmd-swap-no-shift = ℹ️ { $who } has no shift starting on { $date }.
cmd-swapped = ✅ { $to } covers for { $from }: { $when }.
cmd-take-already = ℹ️ { $who }, this case is already yours.
cmd-taken = ✅ { $who } took this case.
cmd-taken-from = ✅ { $who } took this case over from { $from }.
cmd-transferred = ✅ { $by } handed this case to { $who }. Please acknowledge within { $minutes } min: /take, or simply answer.
cmd-transfer-recused = ℹ️ { $who } recused themself from this case.
cmd-transfer-same = ℹ️ The case is already with { $who }.
cmd-recuse-needs-reason = ℹ️ Please give a reason, e.g. /recuse I know the person involved. It is kept in the audit log (encrypted) and never shown to the reporter.
cmd-recused = ✅ { $who } stepped away from this case; it goes to the next counsellor on duty, and their messages in it are no longer relayed. They still see this staff chat, this case included: where that matters, an admin should move the case to another chat.
cmd-recused-already = ℹ️ You recused yourself from this case.
cmd-moved-oversight = 🔒 Case { $code } concerns the hotline's own staff: it has moved to the oversight group and is being deleted from this chat. Nobody here holds it any more; the reporter was told it is now with people outside the counselling team.
cmd-oversight-already = ℹ️ This case is with the oversight group already.
cmd-oversight-missing = ℹ️ No oversight group is set up (OVERSIGHT_CHAT_ID), so this case cannot be moved out of this chat. Nothing was changed. Please tell an admin; the reporter can also be pointed to the university's ethics commission.
cmd-oversight-needs-reason = ℹ️ Please give a reason, e.g. /escalate oversight the report names a counsellor. It is kept in the audit log, encrypted, and never shown to the reporter.
reporter-moved-oversight = Your case { $code } concerns someone at the hotline itself, so it is now handled by the oversight group: people outside the counselling team. You can keep writing here as before; only they read it from now on.
cmd-status-set = ✅ Case { $code }: { $status }. The reporter was told.
cmd-status-refused = ℹ️ Cannot go from “{ $from }” to “{ $to }”: { $reason ->
        [same] it already is.
        [reporter-only] only the reporter can withdraw a case.
        [withdrawn] the reporter withdrew this case.
       *[backwards] cases move forward (a closed case can be reopened).
    }
cmd-followup-set = ✅ A check-in with the reporter is scheduled for { $when }.
cmd-followup-list = Scheduled check-ins: { $when }. /followup cancel removes them.
cmd-followup-none = No check-ins scheduled. Example: /followup 14d
cmd-followup-cancelled = ✅ Check-ins cancelled: { $count }.
cmd-followup-too-far = ℹ️ A check-in can be at most a year ahead.
cmd-template-missing = ℹ️ There is no template “{ $name }” in { $lang } (it exists in: { $have }). Admins add one with /templates set { $name } { $lang } text
cmd-template-sent =
    ✅ Sent “{ $name }” ({ $lang }) to the reporter:
    { $text }
cmd-template-saved = ✅ Template “{ $name }” ({ $lang }) saved.
cmd-template-removed = ✅ Template “{ $name }”: { $count } removed.
usage-erase = To erase case { $code } for good (at its reporter's request), type /erase { $code }. Its key, content and copy in this chat are destroyed; this cannot be undone.
cmd-erased = 🗑 Case { $code } is erased: its key and content are destroyed, and its messages are being deleted from this chat.
cmd-held = ⏸ Case { $code } is on hold: it will not be shredded when its retention period ends, until /hold off. The reason is in /audit, and goes with the case. Please keep no copies in this chat instead.
cmd-hold-off = ▶️ Case { $code } is no longer on hold: retention applies to it again.
help-staff =
    Commands for staff, in a case topic:
    /take — take the case (stops the SLA timer); answering does the same
    /transfer @name reason — hand the case to a colleague (conflict of interest, language)
    /recuse reason — step away from the case; it is routed again and the reason goes to the audit log
    /escalate oversight reason — the case concerns our own staff: it moves to the oversight group and leaves this chat
    /recuse oversight reason — you are involved yourself: step away and move the case to the oversight group
    /status investigation — move the case on: acknowledged, under-consideration, investigation, measures-taken, closed. The reporter is told.
    /followup 14d — check in with the reporter later (/followup list, /followup cancel)
    /t name — send the canned answer “name” in the reporter's language (/templates lists them)
    /label referred — label the case (/label remove referred; /label shows its labels and the usual ones)
    /history — the case's timeline: statuses, holders, labels, check-ins (no texts)
    /record — what staff established (verified category, policy breached, measures, outcome), with buttons; the annual report counts it
    /offer — in a consultation (💬): suggest that the reporter file a report; they get a button (on WhatsApp: /report), and only their own confirmation makes it one
    /contacts — send the reporter the help contacts (the same as in their /rights), in their language
    A message starting with // is an internal note.
    Anywhere in this chat:
    /cases · /cases mine · /cases unassigned · /cases waiting · /cases overdue · /cases urgent · /cases label WORD — the open cases: code, status, who holds it, age, labels, the next deadline (nothing of their content)
    /roster — this week at a glance · /oncall — who is on duty now and next
    /away 3d · /away 2025-05-12 2025-05-14 · /away off — time away
    /swap @name 2025-05-12 — give your shift that day to a colleague
help-admin =
    Commands for admins:
    /staff add @name kk,ru admin|supervisor|oversight escalation — add or update staff (or reply to their message); /staff remove @name; /staff list
    /shift add @name mon-fri 09:00-18:00 — weekly shift (18:00-09:00 runs past midnight); /shift remove ID; /shift list
    /away @name 3d · /swap @from @to 2025-05-12 — for someone else
    /templates set greeting ru text · /templates remove greeting ru
    /audit 20 — the latest roster and case-handling changes
    /health — how many cases are open in each staff chat (counts only)
    /report 2026 — the annual monitoring report (HTML and CSV, no personal data)
    /hold REASON · /hold off — in a case: keep it past its retention period (a formal procedure), or stop keeping it
    /erase CODE — in a case: erase it for good at its reporter's request (its key, content and copy in this chat)
    /block REASON · /unblock — in a case: stop an abusive reporter's messages (they are told, and where else to turn), or lift that
view-roster-title = 📅 The week of { $week } ({ $zone }):
view-roster-no-rota = No shifts yet, so every active counsellor receives cases at any hour. Admins add shifts with /shift add @name mon-fri 09:00-18:00.
view-roster-away = Away: { $who }, { $from } – { $to }
view-oncall-no-rota = No shifts yet: cases go to every active counsellor ({ $who }).
view-oncall-now = On duty now:
view-oncall-until = • { $who } until { $until }
view-oncall-nobody = Nobody is on duty now.
view-oncall-next = Next: { $who } from { $at }.
view-oncall-no-next = No shift is planned in the next two weeks.
view-staff-title = 👥 Staff ({ $count }):
view-staff-line = • { $who } · { $role } · { $langs }{ $escalation ->
        [yes] { " · escalation contact" }
       *[no] { "" }
    }{ $chats ->
        [main] { "" }
       *[other] { " · chats: " }{ $chats }
    }
view-shifts-none = No shifts. Add one with /shift add @name mon-fri 09:00-18:00
view-shifts-title = Weekly shifts ({ $zone }):
view-audit-empty = The audit log is empty.
view-audit-title = 📜 The last { $count } changes:
view-audit-actor = { $actor ->
        [cli] roster file
       *[other] Trustline
    }
view-audit-note-gone = (reason erased with the case)
view-templates-none = No templates yet. Admins: /templates set greeting ru text
view-templates-title = Templates (send one with /t name):
staff-card =
    🗂 Case { $code } · { $category } · { $lang }{ $urgent ->
        [yes] {" · 🚨 urgent"}
       *[no] {""}
    }
    Status: { $status } · { $who } · opened { $age } ago{ $hasDue ->
        [no] {""}
       *[yes] {" · acknowledge by "}{ $due }
    }
    Need-to-know mode: the case is read and answered in its counsellor's private chat with the bot.
staff-card-nobody = not assigned yet
staff-card-category-none = category not given
staff-card-consultation = 💬 consultation (a question, not a complaint)
staff-answer-privately = 🔒 Need-to-know mode: cases are answered in your private chat with the bot, not here. Nothing was sent to the reporter.
staff-private-which-case = Reply to a message of the case you are answering (each one starts with its code), so it reaches the right reporter. Nothing was sent.
staff-private-ready = 🔒 Ready. In need-to-know mode the cases you hold come here: read and answer them in this chat, replying to a message of the case.
duty-needs-private-chat = 🔒 { $who }, cases cannot come to you yet: open a private chat with the bot and press Start once. Until then new cases go to colleagues.
staff-card-take = ✋ Take this case
staff-card-taken = The case is yours: it is in your private chat with the bot.
staff-card-start-first = First open a private chat with the bot and press Start: that is where the case will be.
help-supervisor =
    For supervisors (need-to-know mode):
    /open CODE — read a case you do not hold, in your private chat with the bot; its counsellor is told and it is recorded in the audit log
duty-opened = 👁 { $who } opened this case to read it (a supervisor; recorded in the audit log).
cmd-not-supervisor = ℹ️ Only supervisors can do that. An admin makes someone a supervisor with /staff add @name supervisor. Nothing was changed.
cmd-open-shared = ℹ️ Everyone in the staff chat reads every case on this hotline (shared mode): there is nothing to open.
cmd-open-unknown = ℹ️ There is no case { $code }. Case codes look like K7Q-4FD.
cmd-open-own = ℹ️ Case { $code } is yours: it is in your private chat with the bot already.
cmd-open-sent = 👁 Case { $code }: a copy to read is on its way to your private chat with the bot. Its counsellor is told, and it is recorded in the audit log.
staff-opened-copy = 👁 Case { $code }, opened for you to read, as it is now. Later messages do not come here; the copy is deleted with the case. Only its counsellor answers it: to take it over, reply /take to one of its messages.
staff-private-not-holder = ℹ️ You opened this case to read it; only the counsellor who holds it answers. Nothing was sent. To take it over, reply /take to one of its messages.
staff-history-answer = ↩️ Answer sent to the reporter:
staff-history-notice = ℹ️ Trustline told the reporter:
health-title = 📈 Open cases by staff chat (counts only, nothing of their content):
health-line = • { $chat ->
        [main] this chat
       *[other] { $chat }
    }: { $open } open · { $unassigned } nobody holds · { $urgent } urgent
health-oversight = { $configured ->
        [yes] Reports about the hotline's own staff go to the oversight group, not here.
       *[no] ⚠️ No oversight group is set up (OVERSIGHT_CHAT_ID): reports about the hotline's own staff come to this chat. See the admin guide, “Reports about the service's own staff”.
    }
health-backlog = ⏳ Posts waiting for Telegram's limit (20 a minute per group): { $urgent } urgent, { $conversation } in conversations, { $new } new cases; the next in line has waited { $seconds } s.
staff-backlog = ⏳ The staff chat is full for now: { $count } posts are waiting for Telegram's limit (20 a minute per group). Urgent cases go first; the rest should all be there in about { $minutes } min. Nothing is lost.
cases-title = { $filter ->
        [mine] Your open cases
        [unassigned] Cases nobody holds
        [waiting] Reporters waiting for an answer, longest first
        [overdue] Cases past a deadline
        [urgent] Urgent cases
        [label] Cases labelled “{ $label }”
       *[open] Open cases
    } ({ $count }){ $pages ->
        [1] {""}
       *[other] {", page "}{ $page }/{ $pages }
    }:
cases-line = { $code } · { $status } · { $who } · { $age }{ $urgent ->
        [yes] {" · 🚨"}
       *[no] {""}
    }{ $hasLabels ->
        [yes] {" · 🏷 "}{ $labels }
       *[no] {""}
    }{ $dueKind ->
        [ack] { $overdue ->
            [yes] {" · ⏰ was to be acknowledged by "}{ $due }
           *[no] {" · acknowledge by "}{ $due }
        }
        [stage] { $overdue ->
            [yes] {" · ⏰ overdue since "}{ $due }
           *[no] {" · next step by "}{ $due }
        }
       *[none] {""}
    }{ $hasWaited ->
        [yes] {" · waiting "}{ $waited }
       *[no] {""}
    }
cases-none = { $filter ->
        [mine] You hold no open case.
        [unassigned] Every open case has someone.
        [waiting] No reporter is waiting for an answer.
        [overdue] No case is past a deadline.
        [urgent] No open case is urgent.
        [label] No open case is labelled “{ $label }”.
       *[open] No open cases.
    }
cases-switch-hint = Press a code to write in that case without replying to its messages.
staff-private-switched = { $code } › Now writing in this case: what you send without replying goes to it.
cmd-labels = 🏷 { $code }: { $labels }
cmd-labels-list = 🏷 { $code }: { $labels }
    Add one with /label WORD (usual ones: { $words }); remove one with /label remove WORD.
cmd-labels-too-many = A case can have at most { $max } labels: remove one first (/label remove WORD).
history-title = 🕓 { $code }: what happened (no texts)
history-opened = { $when } · opened
history-earlier = … { $count } earlier entries not shown
history-waiting = The reporter has been waiting for an answer since { $when }.
history-status = status { $from } → { $to }
history-label = { $change ->
        [remove] label removed:
       *[add] label added:
    } { $label }
history-followup = check-in with the reporter planned for { $when }
history-action = { $action ->
        [assign] assigned to { $who }
        [escalate] passed on, not acknowledged, to { $who }
        [take] took the case
        [transfer] handed over to { $who }
        [recuse] recused
        [open] opened it to read (supervisor)
        [hold] kept past its retention period
        [hold-off] no longer kept past retention
        [move] moved to the { $desk } chat
        [block] blocked the reporter
        [unblock] lifted the block
        [offer-report] suggested that the reporter file a report
        [contacts] sent the help contacts
       *[other] { $action }
    }
duty-deadline-soon = ⏰ { $who }: this case's next step ({ $stage }) is due by { $due }, as the policy promises the reporter.
duty-deadline-passed = ⏰ { $who }: the time limit for this case's next step ({ $stage }), { $due }, has passed. Please act on it, or move it on with /status; it is in /cases overdue until then.
history-deadline = next step ({ $stage }) due by { $due }
record-title = 📋 { $code }: what staff established (counted in the annual report, without names)
record-field = { $field ->
        [category] Category
        [breach] Policy breached
        [measures] Measures
       *[outcome] Outcome
    }
record-line = { record-field }: { $value }
record-not-set = not recorded
record-breach = { $v ->
        [yes] yes
        [no] no
       *[undetermined] could not be determined
    }
record-measures = { $v ->
        [advice] advice given
        [counselling] referred to counselling
        [commission] referred to the commission
        [mediation] mediation
        [disciplinary] disciplinary procedure
        [interim-protection] interim protection
        [none] none
       *[other] other
    }
record-outcome = { $v ->
        [resolved] resolved
        [substantiated] substantiated
        [not-substantiated] not substantiated
        [referred-elsewhere] referred elsewhere
        [no-contact] reporter no longer in contact
       *[other] other
    }
record-choose = 📋 { $code } · { record-field }: { $value }{ $several ->
        [yes] {" "}(press each that applies; press again to remove)
       *[no] {""}
    }
record-back = ◀ Back
history-record = recorded: { record-field } — { $value }
reporter-blocked = Case { $code }: this service will not answer further messages on this case. If you are in danger, call { $numbers }.{ $contacts ->
        [none] {""}
       *[other] { " " }You can also turn to: { $contacts }.
    }
reporter-blocked-new = This service cannot take a new report from this account for now. If you are in danger, call { $numbers }.{ $contacts ->
        [none] {""}
       *[other] { " " }You can also turn to: { $contacts }.
    }
reporter-unblocked = Case { $code }: your messages reach the counsellors again.
cmd-blocked = ⛔ { $code }: the reporter's messages no longer reach this chat, and they cannot open a new case for { $days } days. They were told, in their language, and where else to turn. The reason is in /audit. /unblock lifts it.
cmd-unblocked = ✅ { $code }: the reporter's messages reach this chat again; they can open new cases.
cmd-blocked-already = { $code } is blocked already (/unblock lifts it).
cmd-offered-report = 📋 { $code }: the reporter was told, in their language, that they can turn this consultation into a report. Nothing changes until they confirm it at the end of the questions.
cmd-offer-report-already = { $code } is a report already: there is nothing to offer.
cmd-contacts-sent = 📇 { $code }: the help contacts went to the reporter, in their language.
cmd-contacts-none = There are no help contacts to send.
cmd-unblocked-already = { $code } is not blocked.
duty-quiet-held = 🌙 The reporter asked not to be written to at this hour: what you wrote goes at { $until }. Nothing is lost.
daily-none = ☀️ Good morning: no open cases in this chat.
daily-counts = ☀️ Good morning: { $open } open · { $unassigned } nobody holds · { $waiting } waiting for an answer{ $waiting ->
        [0] {""}
       *[other] {" (the longest "}{ $longest }{")"}
    } · { $urgent } urgent. /cases shows them.
daily-overdue = ⏰ Past a deadline ({ $count }): { $codes }{ $more ->
        [0] {""}
       *[other] {" and "}{ $more }{" more"}
    }. /cases overdue lists them.
cmd-private-only = 🔒 Need-to-know mode: use this in your private chat with the bot, in the case you hold. Nothing was shown here.
`;
