package portalsim

// Seed material: names, channels and messages an operator on a Russian or
// international Bitrix24 portal would recognise. Only the simulator reads it.

var (
	ruFemaleFirst = []string{"Мария", "Анна", "Елена", "Ольга", "Наталья", "Екатерина", "Татьяна", "Ирина", "Юлия", "Дарья", "Ксения", "Алина"}
	ruFemaleLast  = []string{"Петрова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Соколова", "Михайлова", "Новикова", "Фёдорова", "Морозова", "Волкова", "Лебедева"}
	ruMaleFirst   = []string{"Иван", "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Никита", "Артём", "Павел", "Егор", "Максим", "Роман"}
	ruMaleLast    = []string{"Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Лебедев"}
	enFirst       = []string{"John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Olivia", "Daniel", "Sophie", "Lucas", "Emma"}
	enLast        = []string{"Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Anderson", "Clark", "Walker", "Young", "Hall"}
	cnNames       = []string{"李雷", "韩梅梅", "王芳", "张伟", "刘洋"}
	guestColorsEN = []string{"Green", "Blue", "Orange", "Purple", "Crimson", "Teal", "Lime", "Amber"}
	guestColorsRU = []string{"Салатовый", "Синий", "Оранжевый", "Фиолетовый", "Малиновый", "Бирюзовый", "Лимонный", "Янтарный"}
	nicknames     = []string{"Мария 🌸", "alex_k", "Катя ☕", "Dmitry 🚀", "vova1987", "Лена Н.", "mike.t", "Ксюша"}

	avatarColors = []string{"#58cc47", "#ab7761", "#1eb4aa", "#4ba984", "#df532d", "#3e99ce", "#8474c8", "#ec7e9b", "#e8a441", "#6e7c86"}

	// connectors with a rough weight (how often a portal sees them).
	connectors = []struct {
		code   string
		weight int
	}{
		{"livechat", 30}, {"telegrambot", 25}, {"whatsappbyedna", 15}, {"vkgroup", 10},
		{"facebook", 6}, {"viber", 6}, {"imessage", 4}, {"avito", 4},
	}

	clientRU = []string{
		"Здравствуйте! Где мой заказ? Номер 48213",
		"Добрый день, хочу поменять тариф",
		"Подскажите, можно ли оплатить картой при получении?",
		"Курьер не приехал, жду с утра",
		"Спасибо, всё получила!",
		"Когда будет доставка в Казань?",
		"Не могу войти в личный кабинет, пишет «неверный пароль»",
		"Пришёл не тот размер, как оформить возврат?",
		"Есть ли скидка для постоянных клиентов?",
		"Можно перенести доставку на субботу?",
		"Алло, вы тут?",
		"Счёт на оплату пришлите, пожалуйста, на почту",
		"Добрый вечер. Заказ 77-1032 всё ещё «в обработке» — это нормально?",
		"Ок, жду",
		"А где можно посмотреть статус возврата?",
		"Сколько стоит доставка до двери?",
	}
	clientEN = []string{
		"Hello, where is my order?",
		"Hi, I want to change my tariff",
		"Can I pay by card on delivery?",
		"The courier never showed up",
		"Thanks, got it!",
		"Do you ship to Berlin?",
		"I can't log in — it says my password is wrong",
		"Wrong size arrived, how do I return it?",
		"Is there a discount for regular customers?",
		"Could you move the delivery to Saturday?",
		"Hello? Anyone there?",
		"Please send the invoice to my email",
		"Order #77-1032 has been \"processing\" for 3 days, is that normal?",
		"ok",
	}
	clientCN = []string{"你好，我的订单在哪里？", "请问可以开发票吗？", "谢谢！"}

	operatorRU = []string{
		"Здравствуйте! Сейчас проверю, минуту.",
		"Заказ передан в службу доставки, трек-номер отправила в SMS.",
		"Да, оплата картой курьеру доступна.",
		"Перенесла доставку на субботу, с 10 до 14.",
		"Возврат можно оформить в личном кабинете, раздел «Заказы».",
		"Выставила счёт, проверьте почту.",
		"Уточните, пожалуйста, номер заказа.",
		"Пароль сброшен, ссылка для входа ушла на почту.",
	}
	operatorEN = []string{
		"Hi! Let me check, one moment.",
		"Your order is with the courier, the tracking number is in your SMS.",
		"Yes, card payment on delivery is available.",
		"Moved the delivery to Saturday, 10:00–14:00.",
		"You can start a return in your account under Orders.",
		"Invoice sent, please check your inbox.",
		"Could you give me the order number, please?",
	}

	fileNames = []string{"IMG_2041.jpg", "screenshot.png", "чек.pdf", "invoice_0425.pdf", "photo_2026-03-16.jpg"}
)

// System messages are written in the portal's language (Russian here), as a
// real portal does.
const (
	sysPinned    = "Диалог закреплён за оператором %s до %s"
	sysUnpinned  = "Диалог откреплён от оператора %s"
	sysAccepted  = "%s взял(а) диалог в работу"
	sysClosed    = "Диалог завершён"
	sysNewDialog = "Начат новый диалог. Канал: %s"
)
