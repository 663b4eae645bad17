package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/linedesk/linedesk/internal/i18n"
)

// The Russian table uses Bitrix24's own Russian terms (открытая линия,
// сессия, закрепить/открепить, оператор, канал) and is phrased so that a
// number never needs a verb to agree with it, except where the verb is
// chosen by the same plural rule as the noun ("Откреплены 3 сессии").

// nbsp joins a number to its unit so that "4 с" never breaks apart.
const nbsp = "\u00a0"

// sessionRU are the forms of "сессия" after a number.
var sessionRU = i18n.Forms{One: "сессия", Few: "сессии", Many: "сессий", Other: "сессии"}

func sessionsRU(n int) string { return i18n.RU.N(n, sessionRU) }

// bulkNameRU names a bulk action: «Закрепить все» when pinned, else
// «Открепить все».
func bulkNameRU(pinned bool) string {
	if pinned {
		return "«Закрепить все»"
	}
	return "«Открепить все»"
}

// pinnedFormsRU are the forms of "закреплена" (or "откреплена") before a
// count of sessions, each after its own prefix (one: "Будет снова ",
// plural: "Будут снова "): "Будет снова закреплена 1 сессия", "Будут
// снова закреплены 3 сессии", "Будет снова закреплено 5 сессий".
func pinnedFormsRU(pin bool, one, plural string) i18n.Forms {
	stem := "закреплен"
	if !pin {
		stem = "откреплен"
	}
	return i18n.Forms{One: one + stem + "а", Few: plural + stem + "ы", Many: one + stem + "о", Other: plural + stem + "ы"}
}

func pinnedOneRU(pin bool) string {
	if pin {
		return "закреплена"
	}
	return "откреплена"
}

func pinnedPluralRU(pin bool) string {
	if pin {
		return "закреплены"
	}
	return "откреплены"
}

func pinVerbRU(pin bool) string {
	if pin {
		return "закрепить"
	}
	return "открепить"
}

var russian = text{
	lang:    i18n.RU,
	AppName: "linedesk",

	Connecting:  "подключение…",
	Online:      "в сети",
	Refreshing:  "обновление…",
	RateLimited: "лимит запросов",
	Offline:     "нет связи",
	Failing:     "ошибка портала",
	UpdatedAt:   func(clock string) string { return "обновлено в " + clock },
	DataOld:     func(age string) string { return "данные: " + age + " назад" },
	RetryIn:     func(in string) string { return "повтор через " + in },
	AutoOff:     "автообновление выкл.",
	Seconds:     func(n int) string { return strconv.Itoa(n) + nbsp + "с" },
	Minutes:     func(n int) string { return strconv.Itoa(n) + nbsp + "мин" },
	Hours:       func(n int) string { return strconv.Itoa(n) + nbsp + "ч" },
	Days:        func(n int) string { return strconv.Itoa(n) + nbsp + "дн." },
	JustNow:     "сейчас",
	Position: func(row, total, pinned int) string {
		return fmt.Sprintf("%d/%d · закреплено: %d", row, total, pinned)
	},
	LoadingFrom: func(host string) string { return "Загрузка сессий с портала " + host + "…" },
	NoSessions: func(key string) string {
		if key == "" {
			return "Открытых сессий нет. Список обновляется сам."
		}
		return "Открытых сессий нет. Список обновляется сам; нажмите " + key + ", чтобы обновить сейчас."
	},
	FirstLoadErr: func(reason string) string {
		return "Не удалось загрузить сессии: " + reason + "."
	},

	// The pin column is three cells wide: its title is the mark itself.
	ColPin: "●", ColID: "ID", ColClient: "Клиент", ColChannel: "Канал", ColLine: "Линия",
	ColStatus: "Статус", ColUnread: "Непроч.", ColLast: "Прошло", ColMessage: "Последнее сообщение",

	StatusNames: map[int]string{
		0: "новая", 5: "пропущена", 10: "принята", 20: "ждёт ответа", 25: "ждёт ответа",
		40: "отвечена", 50: "закрывается",
	},
	OtherStatus: func(code int) string { return "статус " + strconv.Itoa(code) },
	Channels: map[string]string{
		"livechat": "Онлайн-чат", "telegrambot": "Telegram", "whatsappbyedna": "WhatsApp",
		"whatsappbytwilio": "WhatsApp", "olx": "OLX", "avito": "Авито", "vkgroup": "ВКонтакте",
		"facebook": "Facebook", "facebookcomments": "Facebook", "fbinstagramdirect": "Instagram",
		"fbinstagram": "Instagram", "viber": "Viber", "imessage": "iMessage", "network": "Битрикс24",
		"email": "Почта", "wechat": "WeChat", "notifications": "СМС", "yandex": "Яндекс",
	},

	NothingPinned:     "нет закреплённых сессий",
	PortalOffline:     "портал недоступен",
	NotLoaded:         "сессии ещё не загружены",
	UnpinInProgress:   "открепление уже идёт",
	AlreadyRefreshing: "обновление уже идёт",
	NothingHighlighed: "нет отмеченных сессий",
	AllPinned:         "все сессии в списке уже закреплены",
	PinAllInProgress:  "закрепление уже идёт",
	UndoInProgress:    "отмена уже идёт",
	ReadingJournal:    "журнал ещё читается",
	NothingToUndo:     "нечего отменять: команд «Открепить все» и «Закрепить все» не было",
	UndoLastFailed: func(pinned bool) string {
		return "последняя команда " + bulkNameRU(pinned) + " не выполнилась, ничего не изменилось"
	},
	UndoLastUnknown: func(pinned bool) string {
		return "на последнюю команду " + bulkNameRU(pinned) + " не пришёл ответ, неизвестно, что она изменила"
	},
	UndoChangedNothing: func(pinned bool) string {
		return "последняя команда " + bulkNameRU(pinned) + " ничего не изменила"
	},
	AlreadyUndone:     "последняя команда уже отменена",
	NothingToRestore:  "восстанавливать нечего: сессии закрыты, пропали из списка или уже в прежнем состоянии",
	NoSelection:       "сессия не выбрана",
	PinUnderWay:       "закрепление этой сессии уже идёт",
	NoChat:            "портал не сообщил чат этой сессии",
	NoSessionID:       "портал не сообщил ID этой сессии",
	CloseDetailsFirst: "сначала закройте подробности",

	KeyMove: "вверх/вниз", KeyUp: "вверх", KeyDown: "вниз", KeyPageUp: "на страницу вверх",
	KeyPageDown: "на страницу вниз", KeyTop: "в начало", KeyBottom: "в конец", KeyRefresh: "обновить",
	KeyUnpin: "открепить все", KeyClear: "снять отметки", KeyHelp: "справка", KeyQuit: "выход",
	KeyDetails: "подробности", KeyFilter: "фильтр", KeySort: "сортировка", KeyPin: "закрепить/открепить",
	KeyPinAll: "закрепить все", KeyUndo: "отменить", KeyOpen: "открыть в браузере",
	KeyCopyID: "копировать ID сессии", KeyCopyURL: "копировать ссылку на диалог",
	KeyScroll: "прокрутка", KeyClose: "закрыть", KeyKeepFilter: "оставить фильтр", KeyClearFilter: "сбросить его",
	HelpScroll:      func(arrows string) string { return arrows + " — прокрутка" },
	LastUndo:        "Последняя отмена",
	KeySpace:        "пробел",
	Or:              " или ",
	HelpTitle:       "Клавиши",
	HelpClose:       func(keys string) string { return keys + " — закрыть справку" },
	DisabledBecause: "сейчас: ",
	Legend: func(clearKey, lastCol string) []string {
		return []string{
			"●  закреплена (портал не закроет её автоматически)",
			"★  изменена последней командой «Открепить все», «Закрепить все» или отменой" + ifKey(" ("+clearKey+" снимает отметку)", clearKey),
			"›  выбранная строка",
			lastCol + "  время с последней активности",
		}
	},

	DialogTitle: "Открепить все сессии?",
	DialogPinned: func(pinned, mine, listed int) string {
		if mine == pinned {
			return fmt.Sprintf("В списке %s, закреплено за вами: %s.", sessionsRU(listed), i18n.RU.Count(pinned))
		}
		return fmt.Sprintf("В списке %s, закреплено: %s, из них за вами — %s; остальные закреплены за коллегами и должны остаться закреплёнными.",
			sessionsRU(listed), i18n.RU.Count(pinned), i18n.RU.Count(mine))
	},
	DialogNames: func(names []string, more int) string {
		s := strings.Join(names, ", ")
		if more > 0 {
			s += " и ещё " + i18n.RU.Count(more)
		}
		return s + "."
	},
	DialogScope: "Портал открепит все сессии, закреплённые за вами, в том числе не показанные здесь.",
	Cancel:      "Отмена",
	Confirm:     "Открепить все",
	DialogKeys:  "y — да · n/esc — отмена · tab — переключить · enter — нажать",

	PinAllTitle: "Закрепить все сессии?",
	DialogUnpinned: func(unpinned, mine, listed int) string {
		if mine == unpinned {
			return fmt.Sprintf("В списке %s, не закреплено: %s; они будут закреплены за вами.", sessionsRU(listed), i18n.RU.Count(unpinned))
		}
		return fmt.Sprintf("В списке %s, не закреплено: %s, из них ваших — %s; сессии коллег и новые обращения в очереди останутся как есть.",
			sessionsRU(listed), i18n.RU.Count(unpinned), i18n.RU.Count(mine))
	},
	PinAllScope:    "Портал закрепит все ваши сессии, в том числе не показанные здесь.",
	ConfirmPinAll:  "Закрепить все",
	HiddenByFilter: func(n int) string { return "Из них скрыто фильтром: " + i18n.RU.Count(n) + "." },
	UndoTitle: func(when string, pins bool) string {
		return "Отменить " + bulkNameRU(!pins) + " от " + when + "?"
	},
	UndoWill: func(n int, names []string, more int, pins bool) string {
		verb := i18n.RU.Pick(n, pinnedFormsRU(pins, "Будет снова ", "Будут снова "))
		s := verb + " " + sessionsRU(n)
		if len(names) == 0 {
			return s + "."
		}
		s += ": " + strings.Join(names, ", ")
		if more > 0 {
			s += " и ещё " + i18n.RU.Count(more)
		}
		return s + "."
	},
	UndoCannot: func(closed, gone []int64) string {
		var parts []string
		if len(closed) > 0 {
			parts = append(parts, "закрыты — "+joinIDs(closed))
		}
		if len(gone) > 0 {
			parts = append(parts, "нет в списке — "+joinIDs(gone))
		}
		return "Нельзя восстановить: " + strings.Join(parts, "; ") + "."
	},
	UndoAlready: func(ids []int64, pins bool) string {
		return "Уже " + pinnedPluralRU(pins) + ": " + joinIDs(ids) + "."
	},
	ConfirmUndo: func(pins bool) string {
		if pins {
			return "Закрепить снова"
		}
		return "Открепить снова"
	},

	Unpinning:    "Открепление всех закреплённых сессий…",
	QuitWhenDone: "Выход — как только портал ответит на открепление…",
	Unpinned: func(ids []int64) string {
		verb := i18n.RU.Pick(len(ids), i18n.Forms{One: "Откреплена", Few: "Откреплены", Many: "Откреплено", Other: "Откреплено"})
		return fmt.Sprintf("%s %s: %s.", verb, sessionsRU(len(ids)), joinIDs(ids))
	},
	NotListed: func(ids []int64) string {
		return "Нет в списке: " + joinIDs(ids) + "."
	},
	NothingWas: "Закреплённых сессий не было: портал ничего не открепил.",
	Unknown:    "Результат неизвестен: связь прервалась после отправки команды, сессии могли открепиться или нет. Повторно она не отправляется; список обновляется.",
	UnpinFailed: func(reason string) string {
		return "Не удалось открепить сессии: " + reason + "."
	},
	UnpinNotSent: func(reason string) string {
		return "Не удалось открепить сессии: нет связи с порталом (" + reason + ")."
	},

	PinningAll: "Закрепление всех сессий…",
	PinnedAll: func(ids []int64) string {
		verb := i18n.RU.Pick(len(ids), i18n.Forms{One: "Закреплена", Few: "Закреплены", Many: "Закреплено", Other: "Закреплено"})
		return fmt.Sprintf("%s %s: %s.", verb, sessionsRU(len(ids)), joinIDs(ids))
	},
	NothingWasToPin: "Незакреплённых сессий не было: портал ничего не закрепил.",
	PinAllUnknown:   "Результат неизвестен: связь прервалась после отправки команды, сессии могли закрепиться или нет. Повторно она не отправляется; список обновляется.",
	PinAllFailed: func(reason string) string {
		return "Не удалось закрепить сессии: " + reason + "."
	},
	PinAllNotSent: func(reason string) string {
		return "Не удалось закрепить сессии: нет связи с порталом (" + reason + ")."
	},

	PinningOne: func(id int64, want bool) string {
		if want {
			return fmt.Sprintf("Закрепление сессии %d…", id)
		}
		return fmt.Sprintf("Открепление сессии %d…", id)
	},
	PinnedOne: func(id int64, want bool, client string) string {
		s := fmt.Sprintf("Сессия %d %s", id, pinnedOneRU(want))
		if client != "" {
			s += " (" + client + ")"
		}
		return s + "."
	},
	PinFailed: func(id int64, want bool, why string) string {
		return fmt.Sprintf("Не удалось %s сессию %d: %s.", pinVerbRU(want), id, why)
	},
	PinNotSent: func(id int64, want bool, reason string) string {
		return fmt.Sprintf("Не удалось %s сессию %d: нет связи с порталом (%s).", pinVerbRU(want), id, reason)
	},
	PinUnknown: func(id int64, want bool) string {
		return fmt.Sprintf("Нет ответа по сессии %d: она может быть %s, а может и нет; список обновляется.", id, pinnedOneRU(want))
	},
	PinDidNotStick: func(id int64, want bool) string {
		return fmt.Sprintf("Портал ответил «да», но сессия %d по-прежнему не %s.", id, pinnedOneRU(want))
	},
	NotYourSession: "вы не оператор этой сессии",

	Undoing: func(n int, pins bool) string {
		if pins {
			return "Закрепление заново: " + sessionsRU(n) + "…"
		}
		return "Открепление заново: " + sessionsRU(n) + "…"
	},
	Restored: func(ids []int64, pins bool) string {
		verb := i18n.RU.Pick(len(ids), pinnedFormsRU(pins, "Снова ", "Снова "))
		return fmt.Sprintf("%s %s: %s.", verb, sessionsRU(len(ids)), joinIDs(ids))
	},
	RestoredNone: "Ничего не восстановлено.",
	UndoRefused:  func(ids []int64) string { return "Портал отказал: " + joinIDs(ids) + "." },
	UndoNotSent:  func(ids []int64) string { return "Не отправлено: " + joinIDs(ids) + "." },
	UndoUnknown: func(ids []int64) string {
		return "Нет ответа (могли измениться, а могли и нет): " + joinIDs(ids) + "."
	},
	SkippedClosed: func(ids []int64) string { return "Закрыты с тех пор: " + joinIDs(ids) + "." },
	SkippedGone:   func(ids []int64) string { return "Нет в списке: " + joinIDs(ids) + "." },
	SkippedAlready: func(ids []int64, pins bool) string {
		return "Уже " + pinnedPluralRU(pins) + ": " + joinIDs(ids) + "."
	},
	// The error's own text is English; the Russian line says its kind.
	UndoLine: func(id int64, outcome, reason string, pins bool, _ string) string {
		s := fmt.Sprintf("%d  ", id)
		switch {
		case outcome == "ok":
			s += "снова " + pinnedOneRU(pins)
		case outcome == "unknown":
			s += "нет ответа: может быть " + pinnedOneRU(pins) + ", а может и нет"
		case reason == "closed":
			s += "пропущена: закрыта"
		case reason == "gone", reason == "no_chat":
			s += "пропущена: нет в списке"
		case reason == "already_pinned", reason == "already_unpinned":
			s += "пропущена: уже " + pinnedOneRU(pins)
		case reason == "not_sent":
			s += "не отправлено: нет связи с порталом"
		default:
			s += "портал отказал"
		}
		return s
	},

	// The journal's errors are English; the Russian line says what failed.
	JournalFailed:     func(string) string { return "Не удалось записать действие в журнал." },
	JournalUnreadable: func(string) string { return "Не удалось прочитать журнал действий." },

	FilterShown: func(filter string, shown, total int) string {
		return fmt.Sprintf("фильтр «%s»: %d из %d", filter, shown, total)
	},
	NoMatch: func(total int) string {
		return "Под фильтр не подходит ни одна сессия (в списке " + sessionsRU(total) + "); esc — сбросить."
	},
	PositionOf: func(row, shown, total, pinned int) string {
		return fmt.Sprintf("%d/%d из %d · закреплено: %d", row, shown, total, pinned)
	},
	SortNames: []string{"последняя активность", "время ожидания", "статус", "линия", "непрочитанные"},
	SortedBy:  func(name string) string { return "сортировка: " + name },
	Truncated: func(n int) string { return "прочитаны только последние " + i18n.RU.Count(n) },

	DetSession:   func(id int64) string { return fmt.Sprintf("сессия %d", id) },
	DetChat:      func(id int64) string { return fmt.Sprintf("чат %d", id) },
	DetColleague: func(id int64) string { return fmt.Sprintf("коллега (пользователь %d)", id) },
	DetSeen:      func(steps string) string { return "замечено здесь: " + steps },
	DetLoadFailed: func(reason string) string {
		return "Не удалось загрузить сообщения: " + reason + "."
	},
	DetPinnedMark:    "закреплена",
	DetNotListed:     "Сессии больше нет в списке: закрыта или передана другому. Показано, как было в последний раз.",
	DetPinLabel:      "Закреплена",
	DetPinned:        "да: портал не закроет её автоматически",
	DetNotPinned:     "нет",
	DetStarted:       "Начата",
	DetLastActivity:  "Активность",
	DetMarkedUnread:  "отмечена непрочитанной",
	DetOperator:      "Оператор",
	DetCRM:           "CRM",
	DetMessages:      "Последние сообщения, сначала новые",
	DetLoading:       "Загрузка сообщений…",
	DetNoMessages:    "Сообщений нет.",
	DetNoText:        "(без текста)",
	You:              "вы",
	System:           "система",
	CRMNone:          "не привязана",
	CRMLinkedUnknown: "привязана",
	CRMTypes:         map[string]string{"LEAD": "лид", "DEAL": "сделка", "CONTACT": "контакт", "COMPANY": "компания"},
	UpdatedAgoShort:  func(ago string) string { return ago + " назад" },
	Months:           []string{"янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},

	Opening: func(url string) string { return "Открытие в браузере: " + url + "…" },
	Opened:  func(url string) string { return "Открыто в браузере: " + url },
	NoBrowser: func(url string) string {
		return "Браузер здесь не запустить; ссылка скопирована: " + url
	},
	BrowserFailed: func(url string) string {
		return "Браузер не запустился; ссылка скопирована: " + url
	},
	CopiedID:  func(id string) string { return "ID сессии " + id + " скопирован." },
	CopiedURL: func(url string) string { return "Скопировано: " + url },

	NotifyArrivedTitle: "Новая сессия",
	NotifyWroteTitle:   func(client string) string { return client + " пишет" },
	FileMessage:        func(name string) string { return "[файл] " + name },
	NotifyMany: func(arrived, wrote int) string {
		var parts []string
		if arrived > 0 {
			parts = append(parts, i18n.RU.N(arrived, i18n.Forms{One: "новая сессия", Few: "новые сессии", Many: "новых сессий", Other: "новой сессии"}))
		}
		if wrote > 0 {
			parts = append(parts, i18n.RU.N(wrote, i18n.Forms{One: "клиент написал", Few: "клиента написали", Many: "клиентов написали", Other: "клиента написали"}))
		}
		return strings.Join(parts, ", ")
	},

	RefusedNoReason: "портал отказал, не назвав причину",
	ConnRefused:     "отказ в соединении",
	TimedOut:        "портал не ответил вовремя",
	HostNotFound:    "сервер не найден",
	ConnDropped:     "соединение прервано",
	BadCertificate:  "сертификат TLS портала недействителен",
	TooLarge:        "ответ портала слишком большой",
	Codes: map[string]string{
		"QUERY_LIMIT_EXCEEDED": "слишком много запросов",
		"OPERATION_TIME_LIMIT": "исчерпан лимит времени работы метода на портале",
		"OVERLOAD_LIMIT":       "портал заблокировал приложение из-за перегрузки",
		"NO_AUTH_FOUND":        "портал не принял вебхук или токен",
		"EXPIRED_TOKEN":        "срок действия токена доступа истёк",
		"INVALID_TOKEN":        "токен доступа недействителен",
		"INSUFFICIENT_SCOPE":   "у вебхука нет нужного права доступа",
	},
	BadAnswer: func(status int) string {
		return fmt.Sprintf("непонятный ответ портала (HTTP %d)", status)
	},
	// The error's own text is English (Go and the REST client); the
	// Russian screen says what kind of failure it was instead.
	OtherError: func(string) string {
		return "непредвиденная ошибка при обмене с порталом"
	},
	TooSmall: func(w, h, minW, minH int) string {
		return fmt.Sprintf("Окно терминала слишком маленькое: %d×%d.\nДля linedesk нужно не меньше %d×%d.", w, h, minW, minH)
	},
	TooSmallQuit: func(key string) string {
		return "Увеличьте окно или нажмите " + key + " для выхода."
	},
	WindowTitle:      func(host string) string { return "linedesk — " + host },
	ExitSummaryIntro: "linedesk:",
	NoPortal:         "панель запущена без портала",
	RunFailed:        "панель остановлена из-за ошибки",
}
