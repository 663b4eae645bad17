package cli

import (
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/journal"
)

// actText holds the sentences of pin, unpin, undo and journal, in the same
// style as text (text.go): formats with fmt verbs, explicit argument
// indexes where Russian needs another order, plurals as i18n.Forms. It is
// a table of its own so that these commands could be written while text
// was being changed; the two can be merged.
type actText struct {
	// pin and unpin
	PinShort, UnpinShort, PinLong, UnpinLong string
	PinExample, UnpinExample                 string
	FlagChat, FlagSession, FlagPinJSON       string
	NeedIDs                                  string // %[1]s command path
	BadRef                                   string // %q argument
	ChatAndSession                           string
	NoSuchSession                            string // %[1]d ID, %[2]s host
	NoSuchID                                 string // %[1]d ID, %[2]s host
	TakenAsSession                           string // %[1]d ID, %[2]d its chat
	TargetSession                            string // %[1]d session, %[2]d chat
	TargetChat                               string // %d chat
	Pinned, Unpinned                         string // "Pinned: %s."
	AlreadyPinned, AlreadyUnpinned           string // "Already pinned: %s."
	NotPinned, NotUnpinned                   string // %[1]s target, %[2]s why
	NoAnswerPin, NoAnswerUnpin               string // %s target
	NotSentLine                              string // %[1]s target, %[2]s why
	NotSentEarlier                           string // why: an earlier batch failed
	EmptyCode                                string // why: the empty-code refusal
	EmptyClosed, EmptyOffer, EmptyOther      string // what the list adds to it; EmptyOther: %d operator
	CouldNotPin, CouldNotUnpin               string // %[1]d failed, %[2]s total with SessionsOf
	SessionsOf                               i18n.Forms

	// undo
	UndoShort, UndoLong, UndoExample, FlagUndoJSON string
	NothingRecorded                                string // %[1]s host, %[2]s journal path
	LastFailed, LastUnknown, LastChangedNothing    string // %[1]s action, %[2]s host, %[3]s time
	AlreadyUndone                                  string // … %[4]s undo time
	AskRepin, AskUnpin                             string // %[1]s count (accusative), %[2]s time, %[3]s host, %[4]s others
	AskOthers                                      string // %d sessions not restored
	SessionsAcc                                    i18n.Forms
	Restored, RestoredUnpin                        string // heading: %[1]d done, %[2]s total with SessionsOf, %[3]s action, %[4]s time
	NothingToRestore                               string // heading: %[1]s action, %[2]s time, %[3]s total with Sessions
	RowSession, RowChat, RowNoChat                 string
	RowRepinned, RowUnpinned                       string
	RowReasons                                     map[string]string // journal.Reason* → row text for skipped sessions
	RowRefusedEmpty, RowRefused                    string            // RowRefused: %s refusal
	RowNoAnswer, RowNotSent                        string
	UndoIncomplete, UndoUnknown                    string // %[1]d failed, %[2]s total with SessionsOf

	// journal
	JournalShort, JournalLong, JournalExample string
	FlagSince, FlagJournalJSON                string
	BadSince                                  string // %q value
	JournalEmpty                              string // %s path
	JournalNoneSince                          string // %[1]s duration, %[2]s path
	JournalHeaders                            []string
	Actions                                   map[journal.Action]string
	Outcomes                                  map[journal.Outcome]string
	CountWords                                map[journal.Outcome]string // "3 done, 2 skipped"
	NoteUndone, NoteUndoFailed, NoteUndoLost  string                     // %[1]s time, %[2]s counts
	NoteUndoes                                string                     // %[1]s action, %[2]s time
	MoreIDs                                   string                     // %d more
	JournalDamaged                            string                     // %[1]d lines, %[2]s first
	JournalReadFail                           string                     // %s why
	JournalWriteFail                          string                     // %s why
}

var actTextEN = actText{
	PinShort:   "Pin sessions to yourself by session or chat ID (imopenlines.session.mode.pin)",
	UnpinShort: "Unpin sessions by session or chat ID (imopenlines.session.mode.pin)",
	PinLong: "Pin open-line sessions of yours, named by session ID or chat ID.\n\n" + refHelpEN +
		"\nA session that is pinned already is left alone; up to 50 go in one request.\n" +
		"The portal refuses, without giving a reason, when you are not the session's operator.",
	UnpinLong: "Unpin open-line sessions of yours, named by session ID or chat ID.\n\n" + refHelpEN +
		"\nA session that is not pinned is left alone; up to 50 go in one request.\n" +
		"The portal refuses, without giving a reason, when you are not the session's operator.",
	PinExample:      "  linedesk pin 343\n  linedesk pin chat1777 chat1780\n  linedesk pin --chat 1777 --json",
	UnpinExample:    "  linedesk unpin 343 339\n  linedesk unpin --session 343",
	FlagChat:        "every number is a chat ID",
	FlagSession:     "every number is a session ID",
	FlagPinJSON:     `print {"results":[…]} with each session's outcome`,
	NeedIDs:         "'%[1]s' needs at least one session or chat ID — see '%[1]s --help'",
	BadRef:          "%q is not a session or chat ID: give a number such as 343, or chat1777",
	ChatAndSession:  "--chat and --session contradict each other: give one of them",
	NoSuchSession:   "session %[1]d is not in your list on %[2]s (current or closed); for chat %[1]d write chat%[1]d",
	NoSuchID:        "%[1]d is neither a session nor a chat in your list on %[2]s; to send it as a chat ID anyway, write chat%[1]d",
	TakenAsSession:  "note: %[1]d is taken as session %[1]d (chat %[2]d); for chat %[1]d write chat%[1]d",
	TargetSession:   "session %[1]d (chat %[2]d)",
	TargetChat:      "chat %d",
	Pinned:          "Pinned: %s.",
	Unpinned:        "Unpinned: %s.",
	AlreadyPinned:   "Already pinned: %s.",
	AlreadyUnpinned: "Not pinned anyway: %s.",
	NotPinned:       "Not pinned: %[1]s — %[2]s.",
	NotUnpinned:     "Not unpinned: %[1]s — %[2]s.",
	NoAnswerPin:     "No answer: %s — it may or may not be pinned now; run 'linedesk sessions' to check.",
	NoAnswerUnpin:   "No answer: %s — it may or may not be unpinned now; run 'linedesk sessions' to check.",
	NotSentLine:     "Not sent: %[1]s (%[2]s).",
	EmptyCode:       "the portal refused without a reason, which it does when you are not the operator of the chat's open session",
	EmptyClosed:     "; this session is closed",
	EmptyOffer:      "; this session is a queue offer nobody has accepted yet",
	EmptyOther:      "; this session's operator is user %d",
	CouldNotPin:     "could not pin %[1]d of %[2]s",
	CouldNotUnpin:   "could not unpin %[1]d of %[2]s",
	SessionsOf:      i18n.Forms{One: "session", Other: "sessions"},

	UndoShort: "Undo the last unpin-all or pin-all recorded in the journal",
	UndoLong: "Undo the last unpin-all (or pin-all) of this portal and operator recorded in\n" +
		"the journal: re-pin (or unpin) exactly the sessions it changed that are still\n" +
		"open and not back in their old state, in as few requests as batch allows, and\n" +
		"say what happened to each. Closed or vanished sessions are skipped and named.\n\n" +
		"On a terminal linedesk asks first; --yes skips the question and is required\n" +
		"when stdin is not a terminal. 'linedesk journal' shows what was done.",
	UndoExample:        "  linedesk unpin-all --yes\n  linedesk undo\n  linedesk undo --yes --json",
	FlagUndoJSON:       "print the journal entry of the undo, with each session's outcome",
	NothingRecorded:    "nothing to undo: the journal has no unpin-all or pin-all for %[1]s (%[2]s)",
	LastFailed:         "nothing to undo: the %[1]s on %[2]s at %[3]s failed, so it changed nothing",
	LastUnknown:        "cannot undo the %[1]s on %[2]s at %[3]s: its answer was lost, so which sessions it changed is not known — run 'linedesk sessions' to check",
	LastChangedNothing: "nothing to undo: the %[1]s on %[2]s at %[3]s changed no session",
	AlreadyUndone:      "nothing to undo: the %[1]s on %[2]s at %[3]s was already undone at %[4]s",
	AskRepin:           "Re-pin %[1]s that unpin-all unpinned at %[2]s on %[3]s?%[4]s [y/N] ",
	AskUnpin:           "Unpin %[1]s that pin-all pinned at %[2]s on %[3]s?%[4]s [y/N] ",
	AskOthers:          " (%d more are closed, gone or changed since)",
	SessionsAcc:        i18n.Forms{One: "session", Other: "sessions"},
	Restored:           "Re-pinned %[1]d of %[2]s that %[3]s unpinned at %[4]s:",
	RestoredUnpin:      "Unpinned %[1]d of %[2]s that %[3]s pinned at %[4]s:",
	NothingToRestore:   "Nothing to restore of the %[3]s that %[1]s changed at %[2]s:",
	RowSession:         "session %d",
	RowChat:            "chat %d",
	RowNoChat:          "chat ?",
	RowRepinned:        "re-pinned",
	RowUnpinned:        "unpinned",
	RowReasons: map[string]string{
		journal.ReasonClosed:          "skipped: closed",
		journal.ReasonGone:            "skipped: no longer in your list",
		journal.ReasonAlreadyPinned:   "skipped: pinned again already",
		journal.ReasonAlreadyUnpinned: "skipped: unpinned already",
		journal.ReasonNoChat:          "skipped: the list gives no chat ID for it",
	},
	RowRefusedEmpty: "refused: you are not its operator (the portal gave no reason)",
	RowRefused:      "refused: %s",
	RowNoAnswer:     "no answer: may or may not be done",
	RowNotSent:      "not sent",
	UndoIncomplete:  "%[1]d of %[2]s were not restored — run 'linedesk undo' again to retry them",
	UndoUnknown:     "%[1]d of %[2]s got no answer and may or may not be restored — run 'linedesk sessions' to check, then 'linedesk undo' to retry",

	JournalShort: "Show the journal of bulk actions, undos and pins",
	JournalLong: "Show what linedesk did to the portal: every unpin-all, pin-all, undo, pin and\n" +
		"unpin, with the sessions it named and the portal returned, its outcome, and for\n" +
		"a bulk action whether it was undone. Oldest first, in local time. --json prints\n" +
		"the entries as stored, with each session's result.",
	JournalExample:   "  linedesk journal --since 2h\n  linedesk journal --json | jq '.[] | select(.action == \"unpin_all\")'",
	FlagSince:        "only entries newer than this, e.g. 30m, 2h or 7d",
	FlagJournalJSON:  "print the entries as a JSON array",
	BadSince:         "--since %q is not a duration: use e.g. 30m, 2h or 7d",
	JournalEmpty:     "The journal is empty (%s).",
	JournalNoneSince: "Nothing in the journal for the last %[1]s (%[2]s).",
	JournalHeaders:   []string{"TIME", "PORTAL", "ACTION", "OUTCOME", "SESSIONS", "NOTE"},
	Actions: map[journal.Action]string{
		journal.UnpinAll: "unpin-all", journal.PinAll: "pin-all", journal.UndoUnpinAll: "undo unpin-all",
		journal.UndoPinAll: "undo pin-all", journal.Pin: "pin", journal.Unpin: "unpin",
	},
	Outcomes: map[journal.Outcome]string{
		journal.OK: "ok", journal.Failed: "failed", journal.Unknown: "no answer",
	},
	CountWords: map[journal.Outcome]string{
		journal.OK: "done", journal.Failed: "failed", journal.Unknown: "no answer", journal.Skipped: "skipped",
	},
	NoteUndone:       "undone at %[1]s (%[2]s)",
	NoteUndoFailed:   "undo at %[1]s failed (%[2]s)",
	NoteUndoLost:     "undo at %[1]s got no answer (%[2]s)",
	NoteUndoes:       "undoes the %[1]s of %[2]s",
	MoreIDs:          "… +%d",
	JournalDamaged:   "warning: skipped %[1]d unreadable line(s) of the journal (%[2]s)",
	JournalReadFail:  "cannot read the journal: %s",
	JournalWriteFail: "warning: the journal could not be written (%s), so 'linedesk undo' and 'linedesk journal' will not know about this",
}

const refHelpEN = "Each argument names a session:\n" +
	"  343        a session ID if you have such a session (current or closed), else a chat ID\n" +
	"  chat1777   always a chat ID (the dialog ID form)\n" +
	"  --session  makes every number a session ID, --chat every number a chat ID\n" +
	"One list of your sessions is read first to find them.\n"

var actTextRU = actText{
	PinShort:   "Закрепить сессии за собой по ID сессии или чата (imopenlines.session.mode.pin)",
	UnpinShort: "Открепить сессии по ID сессии или чата (imopenlines.session.mode.pin)",
	PinLong: "Закрепляет ваши сессии открытых линий, заданные ID сессии или ID чата.\n\n" + refHelpRU +
		"\nУже закреплённые сессии не трогаются; до 50 уходят одним запросом.\n" +
		"Портал отказывает, не называя причины, если вы не оператор сессии.",
	UnpinLong: "Открепляет ваши сессии открытых линий, заданные ID сессии или ID чата.\n\n" + refHelpRU +
		"\nНезакреплённые сессии не трогаются; до 50 уходят одним запросом.\n" +
		"Портал отказывает, не называя причины, если вы не оператор сессии.",
	PinExample:      "  linedesk pin 343\n  linedesk pin chat1777 chat1780\n  linedesk pin --chat 1777 --json",
	UnpinExample:    "  linedesk unpin 343 339\n  linedesk unpin --session 343",
	FlagChat:        "все числа — ID чатов",
	FlagSession:     "все числа — ID сессий",
	FlagPinJSON:     `вывести {"results":[…]} с итогом по каждой сессии`,
	NeedIDs:         "'%[1]s' нужен хотя бы один ID сессии или чата — см. '%[1]s --help'",
	BadRef:          "%q — не ID сессии или чата: укажите число, например 343, или chat1777",
	ChatAndSession:  "--chat и --session противоречат друг другу: оставьте что-то одно",
	NoSuchSession:   "сессии %[1]d нет в вашем списке на %[2]s (ни среди текущих, ни среди закрытых); для чата %[1]d напишите chat%[1]d",
	NoSuchID:        "%[1]d — ни сессия, ни чат из вашего списка на %[2]s; чтобы всё равно отправить его как ID чата, напишите chat%[1]d",
	TakenAsSession:  "примечание: %[1]d понято как сессия %[1]d (чат %[2]d); для чата %[1]d напишите chat%[1]d",
	TargetSession:   "сессия %[1]d (чат %[2]d)",
	TargetChat:      "чат %d",
	Pinned:          "Закреплено: %s.",
	Unpinned:        "Откреплено: %s.",
	AlreadyPinned:   "Уже закреплено: %s.",
	AlreadyUnpinned: "И так не закреплено: %s.",
	NotPinned:       "Не закреплено: %[1]s — %[2]s.",
	NotUnpinned:     "Не откреплено: %[1]s — %[2]s.",
	NoAnswerPin:     "Нет ответа: %s — закреплено ли теперь, неизвестно; проверьте командой 'linedesk sessions'.",
	NoAnswerUnpin:   "Нет ответа: %s — откреплено ли теперь, неизвестно; проверьте командой 'linedesk sessions'.",
	NotSentLine:     "Не отправлено: %[1]s (%[2]s).",
	NotSentEarlier:  "предыдущий запрос не удался",
	EmptyCode:       "портал отказал без объяснения причины; так он отвечает, когда вы не оператор открытой сессии этого чата",
	EmptyClosed:     "; эта сессия закрыта",
	EmptyOffer:      "; эта сессия — предложение из очереди, которое ещё никто не принял",
	EmptyOther:      "; оператор этой сессии — пользователь %d",
	CouldNotPin:     "не удалось закрепить %[1]d из %[2]s",
	CouldNotUnpin:   "не удалось открепить %[1]d из %[2]s",
	SessionsOf:      i18n.Forms{One: "сессии", Few: "сессий", Many: "сессий", Other: "сессии"},

	UndoShort: "Отменить последнее открепление или закрепление всех из журнала",
	UndoLong: "Отменяет последнее unpin-all (или pin-all) этого портала и оператора из журнала:\n" +
		"снова закрепляет (или открепляет) ровно те изменённые им сессии, которые ещё\n" +
		"открыты и не вернулись в прежнее состояние, за столько запросов, сколько требует\n" +
		"batch, и сообщает итог по каждой. Закрытые и пропавшие сессии пропускаются и\n" +
		"перечисляются.\n\n" +
		"В терминале linedesk сначала спрашивает; --yes отменяет вопрос и обязателен,\n" +
		"если stdin — не терминал. Что сделано, показывает 'linedesk journal'.",
	UndoExample:        "  linedesk unpin-all --yes\n  linedesk undo\n  linedesk undo --yes --json",
	FlagUndoJSON:       "вывести запись журнала об отмене с итогом по каждой сессии",
	NothingRecorded:    "отменять нечего: в журнале нет unpin-all или pin-all для %[1]s (%[2]s)",
	LastFailed:         "отменять нечего: %[1]s на %[2]s в %[3]s не удалось, так что ничего не изменилось",
	LastUnknown:        "отменить %[1]s на %[2]s в %[3]s нельзя: ответ потерян, и какие сессии изменились, неизвестно — проверьте командой 'linedesk sessions'",
	LastChangedNothing: "отменять нечего: %[1]s на %[2]s в %[3]s не изменил ни одной сессии",
	AlreadyUndone:      "отменять нечего: %[1]s на %[2]s в %[3]s уже отменён в %[4]s",
	AskRepin:           "unpin-all в %[2]s на %[3]s открепил сессии. Снова закрепить %[1]s?%[4]s [д/Н] ",
	AskUnpin:           "pin-all в %[2]s на %[3]s закрепил сессии. Открепить %[1]s?%[4]s [д/Н] ",
	AskOthers:          " (ещё %d закрыты, пропали или изменились с тех пор)",
	SessionsAcc:        i18n.Forms{One: "сессию", Few: "сессии", Many: "сессий", Other: "сессии"},
	Restored:           "Снова закреплено %[1]d из %[2]s, откреплённых %[3]s в %[4]s:",
	RestoredUnpin:      "Откреплено %[1]d из %[2]s, закреплённых %[3]s в %[4]s:",
	NothingToRestore:   "Восстанавливать нечего (%[1]s в %[2]s, %[3]s):",
	RowSession:         "сессия %d",
	RowChat:            "чат %d",
	RowNoChat:          "чат ?",
	RowRepinned:        "снова закреплена",
	RowUnpinned:        "откреплена",
	RowReasons: map[string]string{
		journal.ReasonClosed:          "пропущена: закрыта",
		journal.ReasonGone:            "пропущена: её больше нет в вашем списке",
		journal.ReasonAlreadyPinned:   "пропущена: уже снова закреплена",
		journal.ReasonAlreadyUnpinned: "пропущена: уже откреплена",
		journal.ReasonNoChat:          "пропущена: в списке нет ID её чата",
	},
	RowRefusedEmpty: "отказ: вы не её оператор (портал не назвал причину)",
	RowRefused:      "отказ: %s",
	RowNoAnswer:     "нет ответа: выполнено или нет, неизвестно",
	RowNotSent:      "не отправлено",
	UndoIncomplete:  "не восстановлено %[1]d из %[2]s — запустите 'linedesk undo' ещё раз, чтобы повторить",
	UndoUnknown:     "%[1]d из %[2]s остались без ответа и могли не восстановиться — проверьте командой 'linedesk sessions', затем повторите 'linedesk undo'",

	JournalShort: "Показать журнал массовых действий, отмен и закреплений",
	JournalLong: "Показывает, что linedesk делал на портале: каждое unpin-all, pin-all, отмену,\n" +
		"закрепление и открепление — с названными сессиями и теми, что вернул портал,\n" +
		"итогом и, для массовых действий, была ли отмена. Старые записи сверху, время\n" +
		"местное. --json выводит записи как они хранятся, с итогом по каждой сессии.",
	JournalExample:   "  linedesk journal --since 2h\n  linedesk journal --json | jq '.[] | select(.action == \"unpin_all\")'",
	FlagSince:        "только записи новее этого, например 30m, 2h или 7d",
	FlagJournalJSON:  "вывести записи массивом JSON",
	BadSince:         "--since %q — не длительность: используйте, например, 30m, 2h или 7d",
	JournalEmpty:     "Журнал пуст (%s).",
	JournalNoneSince: "За последние %[1]s в журнале ничего нет (%[2]s).",
	JournalHeaders:   []string{"ВРЕМЯ", "ПОРТАЛ", "ДЕЙСТВИЕ", "ИТОГ", "СЕССИИ", "ПРИМЕЧАНИЕ"},
	Actions: map[journal.Action]string{
		journal.UnpinAll: "unpin-all", journal.PinAll: "pin-all", journal.UndoUnpinAll: "отмена unpin-all",
		journal.UndoPinAll: "отмена pin-all", journal.Pin: "закрепить", journal.Unpin: "открепить",
	},
	Outcomes: map[journal.Outcome]string{
		journal.OK: "готово", journal.Failed: "не удалось", journal.Unknown: "нет ответа",
	},
	CountWords: map[journal.Outcome]string{
		journal.OK: "выполнено", journal.Failed: "не удалось", journal.Unknown: "без ответа", journal.Skipped: "пропущено",
	},
	NoteUndone:       "отменено в %[1]s (%[2]s)",
	NoteUndoFailed:   "отмена в %[1]s не удалась (%[2]s)",
	NoteUndoLost:     "отмена в %[1]s без ответа (%[2]s)",
	NoteUndoes:       "отменяет %[1]s от %[2]s",
	MoreIDs:          "… +%d",
	JournalDamaged:   "предупреждение: пропущено нечитаемых строк журнала: %[1]d (%[2]s)",
	JournalReadFail:  "не удалось прочитать журнал: %s",
	JournalWriteFail: "предупреждение: не удалось записать журнал (%s), так что 'linedesk undo' и 'linedesk journal' об этом не узнают",
}

const refHelpRU = "Каждый аргумент называет сессию:\n" +
	"  343        ID сессии, если у вас есть такая сессия (текущая или закрытая), иначе ID чата\n" +
	"  chat1777   всегда ID чата (в виде ID диалога)\n" +
	"  --session  делает все числа ID сессий, --chat — ID чатов\n" +
	"Сначала читается один список ваших сессий, чтобы найти их.\n"

// act is the table of the run's language.
func (a *app) act() *actText {
	if a.lang == i18n.RU {
		return &actTextRU
	}
	return &actTextEN
}
