export default `
received = Received.
edit-received = Your correction was passed on to the counsellor.
empty = Your message looks empty. Please write in words what happened; you can send several messages.
caption-forwarded = The text you wrote with it was passed on.
try-again = Sorry, your message could not be saved just now, so it was not sent. Please try again in a few minutes. If you are in danger, call 112.
too-fast = You are sending messages faster than the hotline can take them in. Your latest messages were not saved or passed on. Please wait a minute, then send again the ones that got no 👌 or answer. Everything before them is kept.
counsellor-says = Counsellor:
counsellor-says-case = Counsellor, case { $code }:
counsellor-correction = ✏️ The counsellor corrected their message:
staff-topic-name = Case { $code }
staff-case-opened =
    { $kind ->
        [consultation] 💬 Consultation { $code }: a question, not a complaint
       *[report] 🆕 New case { $code }
    } · via { $channel } · language: { $lang }
    Write in this { $threading ->
        [topics] topic
       *[replies] thread (reply to a message of this case)
    } to answer the reporter. Start a message with // for an internal note that is not sent.
staff-case-prefix = { $code } ›
staff-edited = ✏️ Correction:
staff-unsupported = ℹ️ The reporter sent { $media ->
        [sticker] a sticker
        [photo] a photo
        [video] a video
        [voice] a voice message
        [audio] an audio file
        [document] a file
        [location] a location
        [contact] a contact
       *[other] a message of an unsupported kind
    }. Trustline cannot pass it on yet; they were asked to describe it in words.
staff-stranger = ℹ️ Messages from people who are not on the staff list are not relayed to reporters.
staff-unnamed = ⚠️ Nothing was sent or done: { $kind ->
    [channel] this message was posted on behalf of a channel,
   *[other] this message was posted anonymously (“Remain anonymous” is on for you as an administrator),
  } so Trustline cannot tell which counsellor wrote it. { $kind ->
    [channel] Post as yourself, then send it again.
   *[other] Turn off “Remain anonymous” for yourself in the group’s administrator rights, then send it again.
  }
staff-anonymous-admins = ⚠️ { $count ->
    [one] One administrator of this chat has
   *[other] { $count } administrators of this chat have
  } “Remain anonymous” on. What they write here cannot be tied to a counsellor, so Trustline does not relay it or act on it. Turn it off for yourself in the group’s administrator rights.
staff-edit-unsent = ℹ️ This message was not sent to the reporter (an internal note, or not an answer), and editing it does not send it. To send it, write it again as a new message.
staff-edit-to-note = ⚠️ This answer was already sent to the reporter. Making it a // note does not take it back, and nothing was changed for the reporter.
staff-edit-passed = ✏️ The correction was passed on to the reporter.
staff-chat-unprotected = ⚠️ Members of this chat can forward and save what is posted here. Turn on “Restrict saving content” (group info → Edit → Group type), so that cases cannot easily leave the chat. The bot's own posts are protected already; counsellors' messages are not.
staff-chat-removed = 🚪 { $who } is no longer on the roster and was removed from this chat. After /staff add they can be invited again.
staff-chat-remove-failed = ⚠️ { $who } is not on the roster but could not be removed from this chat: { $why ->
    [owner] they own the group.
    [admin] they are an administrator the bot did not appoint.
    [rights] the bot is not allowed to ban users here.
   *[other] Telegram refused.
  } Please remove them by hand (group info → Members → { $who } → Remove), taking away their administrator rights first if they have any.
staff-chat-joined = { $guard ->
    [remove] 🚪
   *[other] ⚠️
  } { $who } { $how ->
    [self] joined this chat by an invite link
   *[other] was added to this chat by { $by }
  } and is not on the roster. { $guard ->
    [remove] They were removed at once. To let them in, first /staff add them, then invite them again.
   *[other] They can read every case here: remove them, or /staff add them.
  }
staff-only-text = ℹ️ Only text, photos and documents can be relayed to the reporter. Nothing was sent.
staff-file-not-sent = ℹ️ The file was not sent to the reporter: { $why ->
        [too-big] it is larger than the limit (EVIDENCE_MAX_BYTES).
       *[not-cleaned] its metadata could not be removed (mat2 does not know this format), and it could name you. Send it as a PDF or a picture.
    }
staff-dead-post = ⚠️ Trustline could not post new messages of case { $code } here ({ $reason }). They are kept encrypted; an admin should check the bot's rights in this chat.
staff-dead-deliver = ⚠️ Your answer in case { $code } could not be delivered to the reporter ({ $reason }). The reporter may have blocked the bot.
whatsapp-call-declined =
    This line does not take calls, so that what you tell us stays written and confidential. Please write your message here in this chat: a counsellor will answer here.
    If you are in danger right now, call 112.
staff-whatsapp-needs-login = ⚠️ WhatsApp line { $line } is not linked (logged out, or its session broke). Reporters writing to it get no answer until an admin links it again with "trustline whatsapp login { $line }". Other channels keep running.
staff-whatsapp-failing = ⚠️ WhatsApp line { $line } cannot connect ({ $reason }). Trustline keeps retrying; messages written to it meanwhile are read when it is back.
staff-whatsapp-restored = ✅ WhatsApp line { $line } is connected again.
`;
