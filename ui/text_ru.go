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

var russian = text{
	lang:    i18n.RU,
	AppName: "linedesk",

	Connecting:  "подключение…",
	Online:      "в сети",
	Refreshing:  "обновление…",
	RateLimited: "лимит запросов",
	Offline:     "нет связи",
	Failing:     "ошибка портала",
	UpdatedAgo:  func(ago string) string { return "обновлено " + ago + " назад" },
	DataOld:     func(age string) string { return "данные: " + age + " назад" },
	NextIn:      func(in string) string { return "обновление через " + in },
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

	KeyMove: "вверх/вниз", KeyUp: "вверх", KeyDown: "вниз", KeyPageUp: "на страницу вверх",
	KeyPageDown: "на страницу вниз", KeyTop: "в начало", KeyBottom: "в конец", KeyRefresh: "обновить",
	KeyUnpin: "открепить все", KeyClear: "снять отметки", KeyHelp: "справка", KeyQuit: "выход",
	KeySpace:        "пробел",
	Or:              " или ",
	HelpTitle:       "Клавиши",
	HelpClose:       func(keys string) string { return keys + " — закрыть справку" },
	DisabledBecause: "сейчас: ",
	Legend: func(clearKey, lastCol string) []string {
		return []string{
			"●  закреплена (портал не закроет её автоматически)",
			"★  откреплена последней командой «Открепить все»" + ifKey(" ("+clearKey+" снимает отметку)", clearKey),
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

	RefusedNoReason: "портал отказал, не назвав причину",
	ConnRefused:     "отказ в соединении",
	TimedOut:        "портал не ответил вовремя",
	HostNotFound:    "сервер не найден",
	ConnDropped:     "соединение прервано",
	BadCertificate:  "сертификат TLS портала недействителен",
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
