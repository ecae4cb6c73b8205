package app.deko.ui.i18n

import app.deko.ui.data.ErrorKind
import app.deko.ui.data.Problem

/** The languages of the UI; [tag] is the BCP 47 tag the formats use. */
enum class Lang(val tag: String, val label: String) { EN("en", "English"), CS("cs", "Čeština"), DE("de", "Deutsch") }

/**
 * Every text of the UI, once, in every language: one strings source for all the
 * Kotlin faces (desktop and Android). `{0}`, `{1}` are arguments. StringsTest
 * checks that each language has each key and that a Czech screen shows no English.
 */
object Strings {
    fun table(lang: Lang): Map<S, String> = when (lang) {
        Lang.EN -> EN
        Lang.CS -> CS
        Lang.DE -> DE
    }

    fun get(lang: Lang, key: S, vararg args: Any): String {
        var s = table(lang)[key] ?: EN[key] ?: key.name
        args.forEachIndexed { i, a -> s = s.replace("{$i}", a.toString()) }
        return s
    }
}

enum class S {
    AppName, People, Companies, Tasks, Deals, Conflicts, TeamSync, Settings, Back, Save, Cancel, Close, Edit, Add,
    Search, SearchHint, NoPeople, NoPeopleHint, NoCompanies, NoCompaniesHint, NoResults, NoResultsHint, AddPerson, AddCompany,
    PickSomeone, Loading,
    // first run
    Welcome, WelcomeText, FoundTeam, JoinTeam, CompanyName, YourName, Ticket, TicketHint, PasteTicket, Join, Found,
    Joining, JoiningProgress, NameNeeded, TicketNeeded,
    // detail
    Phones, Emails, Address, Tags, Note, CustomFields, Timeline, NoTimeline, NoTimelineHint, Call, LogCall, LogMeeting,
    AddNote, LastContact, Never, CallNumber, WriteEmail, PhoneMobile, PhonePersonal, PhoneWork, PhoneHome, PhoneOther,
    Website, Industry, PeopleAtCompany, Title, Company, GivenName, FamilyName, PhoneNumber, Email, NewPerson, EditPerson,
    NewCompany, KindPerson, KindCompany, KindDeal, KindTask, KindCall, KindMeeting, KindNote, KindMissed,
    // call sheet
    Number, UnknownNumber, AttachTo, MatchedTo, Start, DurationMin, Direction, DirOut, DirIn, DirMissed, Outcome,
    OutConnected, OutNoAnswer, OutLeftMessage, OutBusy, OutWrongNumber, FollowUp, FollowUpNone, FollowUpDays,
    FollowUpTitle, CallLogged, Place, End, Text, MeetingLogged, NoteAdded, When,
    // tasks
    Overdue, Today, Upcoming, NoTasks, NoTasksHint, MarkDone, MarkOpen, NewTask, TaskTitle, Due, NoDue,
    // deals
    Pipeline, NoDeals, NoDealsHint, MoveTo, DealsCount, MoveDeal, StageWon, StageLost, NewDeal, DealTitle, Value, Currency,
    // conflicts
    NoConflicts, NoConflictsHint, ConflictOn, KeepThis, WriteNew, NewValue, UseNew, WrittenBy, Resolved, ConflictsWaiting,
    FieldDeleted,
    // team & sync
    Devices, ThisDevice, Revoked, Admin, Member, Revoke, RevokeConfirmTitle, RevokeConfirmText, Invite, InviteText,
    CopyTicket, Copied, SyncNow, Syncing, SyncStatus, NeverSynced, ViaDirect, ViaRelay, Received, Sent, RefusedRecords,
    SyncFailed, RelaySettings, RelayAddress, RelayToken, RelaySave, RelayNone, RelaySaved, SyncWithTicket, SyncThisDevice, SyncDone,
    NoPeers, NoPeersHint, LastSync,
    // settings
    YourNameLabel, YourNameHint, Region, RegionHint, Language, Theme, ThemeSystem, ThemeLight, ThemeDark, Device,
    Version, Saved,
    // errors
    ErrorTitle, Retry, InvalidTime, InvalidMinutes, NavTeam, NavSettings, GoTo, Quit, About,
    // the core's error kinds, as a person reads them
    ErrUnreachable, ErrTimedOut, ErrRefusedByPeer, ErrRelayRefused, ErrBadTicket, ErrNotAMember, ErrRevoked, ErrNotAdmin,
    ErrAlreadyInTeam, ErrStorageFull, ErrCorrupt, ErrDatabase, ErrSchemaTooNew, ErrNetwork, ErrProtocol,
    // Android: notifications, the call-logging permissions, NFC
    NotifLogCallWith, NotifMissedFrom, NotifCallWith, NotifUnknownText, NotifTapToAddNote, ChannelCalls, ChannelSync,
    NotifSyncingTeam, NotifSyncProgress, CallsRationaleTitle, CallsRationaleText, CallsRationalePrivacy, CallsTurnOn,
    NotNow, CallsRefused, NfcServiceDescription, TapToShare, Continue, CallsWhyPhone, CallsWhyScreening,
    CallsWhyNotifications, NotifJoinFailed,
}

private val EN: Map<S, String> = mapOf(
    S.AppName to "Deko", S.People to "People", S.Companies to "Companies", S.Tasks to "Tasks", S.Deals to "Deals",
    S.Conflicts to "Conflicts", S.TeamSync to "Team & sync", S.Settings to "Settings", S.Back to "Back", S.Save to "Save",
    S.Cancel to "Cancel", S.Close to "Close", S.Edit to "Edit", S.Add to "Add", S.Search to "Search",
    S.SearchHint to "Name, company, number, note…", S.NoPeople to "No people yet",
    S.NoPeopleHint to "Add the first customer with “Add person”, or join your team to get everyone.",
    S.NoCompanies to "No companies yet", S.NoCompaniesHint to "Add a company with “Add company”.",
    S.NoResults to "Nothing found for “{0}”", S.NoResultsHint to "Try fewer letters, or search by phone number.",
    S.AddPerson to "Add person", S.AddCompany to "Add company", S.PickSomeone to "Pick someone from the list to see the details.",
    S.Loading to "Loading…",
    S.Welcome to "Welcome to Deko", S.WelcomeText to "Your customers, calls and deals on every device, even offline. Start a new team or join the one your colleagues use.",
    S.FoundTeam to "Start a new team", S.JoinTeam to "Join a team", S.CompanyName to "Company name", S.YourName to "Your name",
    S.Ticket to "Invitation (deko: link)", S.TicketHint to "Paste the link a colleague shared, or scan their QR code.",
    S.PasteTicket to "Paste", S.Join to "Join", S.Found to "Start", S.Joining to "Joining the team…",
    S.JoiningProgress to "{0} of {1} records received", S.NameNeeded to "Please enter a name.", S.TicketNeeded to "Please paste an invitation.",
    S.Phones to "Phones", S.Emails to "Emails", S.Address to "Address", S.Tags to "Tags", S.Note to "Note",
    S.CustomFields to "More", S.Timeline to "Timeline", S.NoTimeline to "Nothing logged yet",
    S.NoTimelineHint to "Log a call, a meeting or a note and it shows here.", S.Call to "Call", S.LogCall to "Log call",
    S.LogMeeting to "Log meeting", S.AddNote to "Add note", S.LastContact to "Last contact: {0}", S.Never to "never",
    S.CallNumber to "Call {0}", S.WriteEmail to "Write to {0}", S.PhoneMobile to "mobile", S.PhonePersonal to "personal",
    S.PhoneWork to "work", S.PhoneHome to "home", S.PhoneOther to "other", S.Website to "Website", S.Industry to "Industry",
    S.PeopleAtCompany to "People", S.Title to "Job title", S.Company to "Company", S.GivenName to "First name",
    S.FamilyName to "Last name", S.PhoneNumber to "Phone number", S.Email to "Email", S.NewPerson to "New person",
    S.EditPerson to "Edit person", S.NewCompany to "New company", S.KindPerson to "Person", S.KindCompany to "Company",
    S.KindDeal to "Deal", S.KindTask to "Task", S.KindCall to "Call", S.KindMeeting to "Meeting", S.KindNote to "Note",
    S.KindMissed to "Missed call",
    S.Number to "Number", S.UnknownNumber to "Unknown number", S.AttachTo to "Attach to…", S.MatchedTo to "This is {0}",
    S.Start to "Started", S.DurationMin to "Minutes", S.Direction to "Direction", S.DirOut to "Outgoing", S.DirIn to "Incoming",
    S.DirMissed to "Missed", S.Outcome to "Outcome", S.OutConnected to "Connected", S.OutNoAnswer to "No answer",
    S.OutLeftMessage to "Left a message", S.OutBusy to "Busy", S.OutWrongNumber to "Wrong number",
    S.FollowUp to "Follow-up task", S.FollowUpNone to "None", S.FollowUpDays to "In {0} d",
    S.FollowUpTitle to "Follow up with {0}", S.CallLogged to "Call logged", S.Place to "Place", S.End to "Ended",
    S.Text to "Text", S.MeetingLogged to "Meeting logged", S.NoteAdded to "Note added", S.When to "When",
    S.Overdue to "Overdue", S.Today to "Today", S.Upcoming to "Upcoming", S.NoTasks to "Nothing to do",
    S.NoTasksHint to "Follow-ups you plan when logging a call land here.", S.MarkDone to "Mark “{0}” done",
    S.MarkOpen to "Mark “{0}” open again", S.NewTask to "New task", S.TaskTitle to "What to do", S.Due to "Due {0}",
    S.NoDue to "No due date",
    S.Pipeline to "Pipeline", S.NoDeals to "No deals in this stage", S.NoDealsHint to "Move a deal here, or add one.",
    S.MoveTo to "Move to…", S.DealsCount to "Deals: {0}", S.MoveDeal to "Move “{0}”", S.StageWon to "won",
    S.StageLost to "lost", S.NewDeal to "New deal", S.DealTitle to "Deal", S.Value to "Value", S.Currency to "Currency",
    S.NoConflicts to "No conflicts", S.NoConflictsHint to "When a field is changed on two devices at once, both values show here to pick from.",
    S.ConflictOn to "{0}: {1}", S.KeepThis to "Keep this", S.WriteNew to "Write a new value", S.NewValue to "New value",
    S.UseNew to "Use it", S.WrittenBy to "{0}, {1}", S.Resolved to "Resolved", S.ConflictsWaiting to "Conflicts to resolve: {0}",
    S.FieldDeleted to "deleted",
    S.Devices to "Devices and people", S.ThisDevice to "this device", S.Revoked to "revoked", S.Admin to "admin",
    S.Member to "member", S.Revoke to "Revoke", S.RevokeConfirmTitle to "Revoke {0}?",
    S.RevokeConfirmText to "Use this for a lost or stolen device. It gets nothing written from now on. This cannot be undone.",
    S.Invite to "Invite a colleague", S.InviteText to "Let them scan the code, or send them the link (valid 1 hour).",
    S.CopyTicket to "Copy link", S.Copied to "Copied", S.SyncNow to "Sync now", S.Syncing to "Syncing…",
    S.SyncStatus to "Sync status", S.NeverSynced to "Not synced yet", S.ViaDirect to "direct", S.ViaRelay to "via relay",
    S.Received to "{0} received", S.Sent to "{0} sent", S.RefusedRecords to "Records refused: {0}",
    S.SyncFailed to "Could not sync: {0}", S.RelaySettings to "Relay", S.RelayAddress to "Relay address (host:port)",
    S.RelayToken to "Relay token", S.RelaySave to "Use relay", S.RelayNone to "No relay: devices sync when they can reach each other.",
    S.RelaySaved to "Relay saved", S.SyncWithTicket to "Sync with a device (deko: link)", S.SyncThisDevice to "Sync with this device", S.SyncDone to "Synced",
    S.NoPeers to "No other device yet", S.NoPeersHint to "Invite a colleague, then sync.", S.LastSync to "{0}, {1}",
    S.YourNameLabel to "Your name", S.YourNameHint to "Set when you started or joined the team.", S.Region to "Phone region",
    S.RegionHint to "For numbers written without a country code, e.g. CZ, DE, AT.", S.Language to "Language",
    S.Theme to "Theme", S.ThemeSystem to "System", S.ThemeLight to "Light", S.ThemeDark to "Dark", S.Device to "This device",
    S.Version to "Version", S.Saved to "Saved", S.ErrorTitle to "Something went wrong", S.Retry to "Try again",
    S.InvalidTime to "Write the date and time like {0}", S.InvalidMinutes to "Minutes, e.g. 4 or 4:30", S.NavTeam to "Sync", S.NavSettings to "Settings", S.GoTo to "Go", S.Quit to "Quit", S.About to "With {0}",
    S.ErrUnreachable to "Could not reach the device. Is it on, and on this network (or is a relay set)?",
    S.ErrTimedOut to "The other device stopped answering. Try again.",
    S.ErrRefusedByPeer to "The other device refused: {0}", S.ErrRelayRefused to "The relay refused: {0}",
    S.ErrBadTicket to "This invitation link cannot be used: it is mistyped, expired or from another team.",
    S.ErrNotAMember to "This device is not in a team yet: start one or join one.",
    S.ErrRevoked to "This device was revoked from the team: it can no longer change anything.",
    S.ErrNotAdmin to "Only an admin of the team can do this.", S.ErrAlreadyInTeam to "This database already belongs to a team.",
    S.ErrStorageFull to "The device is full: free some space, then try again.",
    S.ErrCorrupt to "The database file is damaged or is not a Deko database.", S.ErrDatabase to "The database could not be used: {0}",
    S.ErrSchemaTooNew to "This database was written by a newer Deko: update the app.",
    S.ErrNetwork to "The connection failed. Try again.", S.ErrProtocol to "The other device runs another version of Deko: update both.",
    S.NotifLogCallWith to "Log call with {0} · {1} min", S.NotifMissedFrom to "Missed call from {0}",
    S.NotifCallWith to "Call with {0} · {1} min",
    S.NotifUnknownText to "This number belongs to nobody yet: make a new person or attach it to someone.",
    S.NotifTapToAddNote to "Tap to add a note.", S.ChannelCalls to "After a call", S.ChannelSync to "Sync",
    S.NotifSyncingTeam to "Syncing with your team", S.NotifSyncProgress to "{0} of {1} records",
    S.CallsRationaleTitle to "Log calls right after hanging up",
    S.CallsRationaleText to "When a call ends, Deko offers to log it with the person you talked to. For that it needs to know that a call ended and, for incoming calls, the caller's number (the call-screening role: Deko never blocks or answers calls).",
    S.CallsRationalePrivacy to "Nothing leaves this phone: the number is only looked up in your team's database here.",
    S.CallsTurnOn to "Turn on", S.NotNow to "Not now",
    S.CallsRefused to "Calls are not followed. Log them any time with “Log call” or from a person's page.",
    S.NfcServiceDescription to "Deko: share your team's invitation by holding two phones together",
    S.TapToShare to "Hold the other phone to the back of this one",
    S.Continue to "Continue",
    S.CallsWhyPhone to "Phone: to know that a call ended and how long it took.",
    S.CallsWhyScreening to "Call screening: the number of an incoming call, without reading your call log.",
    S.CallsWhyNotifications to "Notifications: to offer logging the call right after it.",
    S.NotifJoinFailed to "Could not join the team",
)

private val CS: Map<S, String> = mapOf(
    S.AppName to "Deko", S.People to "Lidé", S.Companies to "Firmy", S.Tasks to "Úkoly", S.Deals to "Obchody",
    S.Conflicts to "Konflikty", S.TeamSync to "Tým a synchronizace", S.Settings to "Nastavení", S.Back to "Zpět",
    S.Save to "Uložit", S.Cancel to "Zrušit", S.Close to "Zavřít", S.Edit to "Upravit", S.Add to "Přidat",
    S.Search to "Hledat", S.SearchHint to "Jméno, firma, číslo, poznámka…", S.NoPeople to "Zatím nikdo",
    S.NoPeopleHint to "Přidejte prvního zákazníka tlačítkem „Přidat osobu“, nebo se připojte k týmu a získáte všechny.",
    S.NoCompanies to "Zatím žádné firmy", S.NoCompaniesHint to "Přidejte firmu tlačítkem „Přidat firmu“.",
    S.NoResults to "Pro „{0}“ nic nenalezeno", S.NoResultsHint to "Zkuste méně písmen, nebo hledejte podle čísla.",
    S.AddPerson to "Přidat osobu", S.AddCompany to "Přidat firmu", S.PickSomeone to "Vyberte někoho ze seznamu a uvidíte podrobnosti.",
    S.Loading to "Načítám…",
    S.Welcome to "Vítejte v Deko", S.WelcomeText to "Zákazníci, hovory a obchody na každém zařízení, i bez signálu. Založte nový tým, nebo se připojte k týmu kolegů.",
    S.FoundTeam to "Založit nový tým", S.JoinTeam to "Připojit se k týmu", S.CompanyName to "Název firmy", S.YourName to "Vaše jméno",
    S.Ticket to "Pozvánka (odkaz deko:)", S.TicketHint to "Vložte odkaz od kolegy, nebo naskenujte jeho QR kód.",
    S.PasteTicket to "Vložit", S.Join to "Připojit", S.Found to "Založit", S.Joining to "Připojuji se k týmu…",
    S.JoiningProgress to "Přijato {0} z {1} záznamů", S.NameNeeded to "Zadejte prosím jméno.", S.TicketNeeded to "Vložte prosím pozvánku.",
    S.Phones to "Telefony", S.Emails to "E-maily", S.Address to "Adresa", S.Tags to "Štítky", S.Note to "Poznámka",
    S.CustomFields to "Další údaje", S.Timeline to "Historie", S.NoTimeline to "Zatím nic zapsáno",
    S.NoTimelineHint to "Zapište hovor, schůzku nebo poznámku a objeví se tady.", S.Call to "Volat", S.LogCall to "Zapsat hovor",
    S.LogMeeting to "Zapsat schůzku", S.AddNote to "Přidat poznámku", S.LastContact to "Poslední kontakt: {0}", S.Never to "nikdy",
    S.CallNumber to "Volat {0}", S.WriteEmail to "Napsat na {0}", S.PhoneMobile to "mobil", S.PhonePersonal to "osobní",
    S.PhoneWork to "práce", S.PhoneHome to "domů", S.PhoneOther to "jiný", S.Website to "Web", S.Industry to "Obor",
    S.PeopleAtCompany to "Lidé", S.Title to "Pozice", S.Company to "Firma", S.GivenName to "Jméno",
    S.FamilyName to "Příjmení", S.PhoneNumber to "Telefonní číslo", S.Email to "E-mail", S.NewPerson to "Nová osoba",
    S.EditPerson to "Upravit osobu", S.NewCompany to "Nová firma", S.KindPerson to "Osoba", S.KindCompany to "Firma",
    S.KindDeal to "Obchod", S.KindTask to "Úkol", S.KindCall to "Hovor", S.KindMeeting to "Schůzka", S.KindNote to "Poznámka",
    S.KindMissed to "Zmeškaný hovor",
    S.Number to "Číslo", S.UnknownNumber to "Neznámé číslo", S.AttachTo to "Přiřadit k…", S.MatchedTo to "Je to {0}",
    S.Start to "Začátek", S.DurationMin to "Minuty", S.Direction to "Směr", S.DirOut to "Odchozí", S.DirIn to "Příchozí",
    S.DirMissed to "Zmeškaný", S.Outcome to "Výsledek", S.OutConnected to "Spojeno", S.OutNoAnswer to "Nebere to",
    S.OutLeftMessage to "Nechal(a) jsem vzkaz", S.OutBusy to "Obsazeno", S.OutWrongNumber to "Špatné číslo",
    S.FollowUp to "Navazující úkol", S.FollowUpNone to "Žádný", S.FollowUpDays to "Za {0} d",
    S.FollowUpTitle to "Ozvat se: {0}", S.CallLogged to "Hovor zapsán", S.Place to "Místo", S.End to "Konec",
    S.Text to "Text", S.MeetingLogged to "Schůzka zapsána", S.NoteAdded to "Poznámka přidána", S.When to "Kdy",
    S.Overdue to "Po termínu", S.Today to "Dnes", S.Upcoming to "Nadcházející", S.NoTasks to "Nic na práci",
    S.NoTasksHint to "Sem přijdou úkoly, které naplánujete při zápisu hovoru.", S.MarkDone to "Hotovo: „{0}“",
    S.MarkOpen to "Znovu otevřít: „{0}“", S.NewTask to "Nový úkol", S.TaskTitle to "Co udělat", S.Due to "Termín {0}",
    S.NoDue to "Bez termínu",
    S.Pipeline to "Obchodní fáze", S.NoDeals to "V této fázi nic není", S.NoDealsHint to "Přesuňte sem obchod, nebo přidejte nový.",
    S.MoveTo to "Přesunout do…", S.DealsCount to "Obchodů: {0}", S.MoveDeal to "Přesunout „{0}“", S.StageWon to "vyhráno",
    S.StageLost to "prohráno", S.NewDeal to "Nový obchod", S.DealTitle to "Obchod", S.Value to "Hodnota", S.Currency to "Měna",
    S.NoConflicts to "Žádné konflikty", S.NoConflictsHint to "Když se údaj změní na dvou zařízeních naráz, uvidíte tu obě hodnoty a vyberete.",
    S.ConflictOn to "{0}: {1}", S.KeepThis to "Ponechat tuto", S.WriteNew to "Napsat novou hodnotu", S.NewValue to "Nová hodnota",
    S.UseNew to "Použít", S.WrittenBy to "{0}, {1}", S.Resolved to "Vyřešeno", S.ConflictsWaiting to "Konflikty k vyřešení: {0}",
    S.FieldDeleted to "smazáno",
    S.Devices to "Zařízení a lidé", S.ThisDevice to "toto zařízení", S.Revoked to "odebráno", S.Admin to "správce",
    S.Member to "člen", S.Revoke to "Odebrat", S.RevokeConfirmTitle to "Odebrat {0}?",
    S.RevokeConfirmText to "Pro ztracené nebo ukradené zařízení. Od teď nedostane nic nového. Nelze vrátit.",
    S.Invite to "Pozvat kolegu", S.InviteText to "Nechte ho naskenovat kód, nebo mu pošlete odkaz (platí 1 hodinu).",
    S.CopyTicket to "Kopírovat odkaz", S.Copied to "Zkopírováno", S.SyncNow to "Synchronizovat", S.Syncing to "Synchronizuji…",
    S.SyncStatus to "Stav synchronizace", S.NeverSynced to "Zatím nesynchronizováno", S.ViaDirect to "přímo", S.ViaRelay to "přes relay",
    S.Received to "přijato {0}", S.Sent to "odesláno {0}", S.RefusedRecords to "odmítnuto záznamů: {0}",
    S.SyncFailed to "Synchronizace se nezdařila: {0}", S.RelaySettings to "Relay server", S.RelayAddress to "Adresa relay (host:port)",
    S.RelayToken to "Token pro relay", S.RelaySave to "Použít relay", S.RelayNone to "Bez relay: zařízení se synchronizují, když se navzájem zastihnou.",
    S.RelaySaved to "Relay uložen", S.SyncWithTicket to "Synchronizovat se zařízením (odkaz deko:)", S.SyncThisDevice to "Synchronizovat s tímto zařízením", S.SyncDone to "Synchronizováno",
    S.NoPeers to "Zatím žádné další zařízení", S.NoPeersHint to "Pozvěte kolegu a pak synchronizujte.", S.LastSync to "{0}, {1}",
    S.YourNameLabel to "Vaše jméno", S.YourNameHint to "Nastaveno při založení týmu nebo připojení.", S.Region to "Telefonní oblast",
    S.RegionHint to "Pro čísla bez předvolby země, např. CZ, DE, AT.", S.Language to "Jazyk",
    S.Theme to "Vzhled", S.ThemeSystem to "Podle systému", S.ThemeLight to "Světlý", S.ThemeDark to "Tmavý", S.Device to "Toto zařízení",
    S.Version to "Verze", S.Saved to "Uloženo", S.ErrorTitle to "Něco se nepovedlo", S.Retry to "Zkusit znovu",
    S.InvalidTime to "Zadejte datum a čas jako {0}", S.InvalidMinutes to "Minuty, např. 4 nebo 4:30", S.NavTeam to "Tým", S.NavSettings to "Nastavení", S.GoTo to "Přejít", S.Quit to "Ukončit", S.About to "S kým: {0}",
    S.ErrUnreachable to "Zařízení se nepodařilo zastihnout. Je zapnuté a v této síti (nebo je nastaven relay)?",
    S.ErrTimedOut to "Druhé zařízení přestalo odpovídat. Zkuste to znovu.",
    S.ErrRefusedByPeer to "Druhé zařízení odmítlo: {0}", S.ErrRelayRefused to "Relay odmítl: {0}",
    S.ErrBadTicket to "Tento zvací odkaz nelze použít: je překlep, vypršel, nebo patří jinému týmu.",
    S.ErrNotAMember to "Toto zařízení zatím není v týmu: založte tým, nebo se připojte.",
    S.ErrRevoked to "Toto zařízení bylo z týmu odebráno: už nemůže nic měnit.",
    S.ErrNotAdmin to "Tohle může jen správce týmu.", S.ErrAlreadyInTeam to "Tato databáze už patří týmu.",
    S.ErrStorageFull to "Zařízení je plné: uvolněte místo a zkuste to znovu.",
    S.ErrCorrupt to "Soubor databáze je poškozený, nebo to není databáze Deko.", S.ErrDatabase to "Databázi nelze použít: {0}",
    S.ErrSchemaTooNew to "Databázi zapsala novější verze Deko: aktualizujte aplikaci.",
    S.ErrNetwork to "Spojení selhalo. Zkuste to znovu.", S.ErrProtocol to "Druhé zařízení má jinou verzi Deko: aktualizujte obě.",
    S.NotifLogCallWith to "Zapsat hovor s {0} · {1} min", S.NotifMissedFrom to "Zmeškaný hovor od {0}",
    S.NotifCallWith to "Hovor s {0} · {1} min",
    S.NotifUnknownText to "Toto číslo zatím nikomu nepatří: vytvořte novou osobu nebo ho někomu přiřaďte.",
    S.NotifTapToAddNote to "Klepnutím přidáte poznámku.", S.ChannelCalls to "Po hovoru", S.ChannelSync to "Synchronizace",
    S.NotifSyncingTeam to "Synchronizace s týmem", S.NotifSyncProgress to "{0} z {1} záznamů",
    S.CallsRationaleTitle to "Zapisujte hovory hned po zavěšení",
    S.CallsRationaleText to "Když hovor skončí, Deko nabídne jeho zápis k osobě, se kterou jste mluvili. K tomu potřebuje vědět, že hovor skončil, a u příchozích hovorů číslo volajícího (role prověřování hovorů: Deko hovory nikdy neblokuje ani nepřijímá).",
    S.CallsRationalePrivacy to "Nic neopouští tento telefon: číslo se hledá jen v databázi vašeho týmu zde.",
    S.CallsTurnOn to "Zapnout", S.NotNow to "Teď ne",
    S.CallsRefused to "Hovory se nesledují. Zapište je kdykoli tlačítkem „Zapsat hovor“ nebo na stránce osoby.",
    S.NfcServiceDescription to "Deko: pozvánka do týmu přiložením dvou telefonů",
    S.TapToShare to "Přiložte druhý telefon k zadní straně tohoto",
    S.Continue to "Pokračovat",
    S.CallsWhyPhone to "Telefon: aby Deko poznal, že hovor skončil a jak dlouho trval.",
    S.CallsWhyScreening to "Prověřování hovorů: číslo příchozího hovoru, bez čtení výpisu hovorů.",
    S.CallsWhyNotifications to "Oznámení: aby Deko mohl hned po hovoru nabídnout jeho zápis.",
    S.NotifJoinFailed to "Připojení k týmu se nezdařilo",
)

private val DE: Map<S, String> = mapOf(
    S.AppName to "Deko", S.People to "Personen", S.Companies to "Firmen", S.Tasks to "Aufgaben", S.Deals to "Deals",
    S.Conflicts to "Konflikte", S.TeamSync to "Team & Sync", S.Settings to "Einstellungen", S.Back to "Zurück",
    S.Save to "Speichern", S.Cancel to "Abbrechen", S.Close to "Schließen", S.Edit to "Bearbeiten", S.Add to "Hinzufügen",
    S.Search to "Suchen", S.SearchHint to "Name, Firma, Nummer, Notiz…", S.NoPeople to "Noch keine Personen",
    S.NoPeopleHint to "Legen Sie den ersten Kunden mit „Person hinzufügen“ an, oder treten Sie Ihrem Team bei.",
    S.NoCompanies to "Noch keine Firmen", S.NoCompaniesHint to "Legen Sie eine Firma mit „Firma hinzufügen“ an.",
    S.NoResults to "Nichts gefunden für „{0}“", S.NoResultsHint to "Weniger Buchstaben probieren oder nach Nummer suchen.",
    S.AddPerson to "Person hinzufügen", S.AddCompany to "Firma hinzufügen", S.PickSomeone to "Wählen Sie jemanden aus der Liste, um Details zu sehen.",
    S.Loading to "Wird geladen…",
    S.Welcome to "Willkommen bei Deko", S.WelcomeText to "Kunden, Anrufe und Deals auf jedem Gerät, auch offline. Gründen Sie ein Team oder treten Sie dem Ihrer Kollegen bei.",
    S.FoundTeam to "Neues Team gründen", S.JoinTeam to "Team beitreten", S.CompanyName to "Firmenname", S.YourName to "Ihr Name",
    S.Ticket to "Einladung (deko:-Link)", S.TicketHint to "Fügen Sie den Link eines Kollegen ein oder scannen Sie seinen QR-Code.",
    S.PasteTicket to "Einfügen", S.Join to "Beitreten", S.Found to "Gründen", S.Joining to "Trete dem Team bei…",
    S.JoiningProgress to "{0} von {1} Einträgen empfangen", S.NameNeeded to "Bitte einen Namen eingeben.", S.TicketNeeded to "Bitte eine Einladung einfügen.",
    S.Phones to "Telefon", S.Emails to "E-Mail", S.Address to "Adresse", S.Tags to "Schlagwörter", S.Note to "Notiz",
    S.CustomFields to "Weitere Angaben", S.Timeline to "Verlauf", S.NoTimeline to "Noch nichts erfasst",
    S.NoTimelineHint to "Erfassen Sie einen Anruf, Termin oder eine Notiz, dann erscheint er hier.", S.Call to "Anrufen", S.LogCall to "Anruf erfassen",
    S.LogMeeting to "Termin erfassen", S.AddNote to "Notiz hinzufügen", S.LastContact to "Letzter Kontakt: {0}", S.Never to "nie",
    S.CallNumber to "{0} anrufen", S.WriteEmail to "An {0} schreiben", S.PhoneMobile to "mobil", S.PhonePersonal to "privat",
    S.PhoneWork to "geschäftlich", S.PhoneHome to "privat", S.PhoneOther to "andere", S.Website to "Website", S.Industry to "Branche",
    S.PeopleAtCompany to "Personen", S.Title to "Position", S.Company to "Firma", S.GivenName to "Vorname",
    S.FamilyName to "Nachname", S.PhoneNumber to "Telefonnummer", S.Email to "E-Mail", S.NewPerson to "Neue Person",
    S.EditPerson to "Person bearbeiten", S.NewCompany to "Neue Firma", S.KindPerson to "Person", S.KindCompany to "Firma",
    S.KindDeal to "Deal", S.KindTask to "Aufgabe", S.KindCall to "Anruf", S.KindMeeting to "Termin", S.KindNote to "Notiz",
    S.KindMissed to "Verpasster Anruf",
    S.Number to "Nummer", S.UnknownNumber to "Unbekannte Nummer", S.AttachTo to "Zuordnen zu…", S.MatchedTo to "Das ist {0}",
    S.Start to "Beginn", S.DurationMin to "Minuten", S.Direction to "Richtung", S.DirOut to "Ausgehend", S.DirIn to "Eingehend",
    S.DirMissed to "Verpasst", S.Outcome to "Ergebnis", S.OutConnected to "Erreicht", S.OutNoAnswer to "Nicht erreicht",
    S.OutLeftMessage to "Nachricht hinterlassen", S.OutBusy to "Besetzt", S.OutWrongNumber to "Falsche Nummer",
    S.FollowUp to "Folgeaufgabe", S.FollowUpNone to "Keine", S.FollowUpDays to "In {0} T",
    S.FollowUpTitle to "Nachfassen: {0}", S.CallLogged to "Anruf erfasst", S.Place to "Ort", S.End to "Ende",
    S.Text to "Text", S.MeetingLogged to "Termin erfasst", S.NoteAdded to "Notiz hinzugefügt", S.When to "Wann",
    S.Overdue to "Überfällig", S.Today to "Heute", S.Upcoming to "Demnächst", S.NoTasks to "Nichts zu tun",
    S.NoTasksHint to "Folgeaufgaben, die Sie beim Erfassen eines Anrufs planen, landen hier.", S.MarkDone to "„{0}“ erledigt",
    S.MarkOpen to "„{0}“ wieder öffnen", S.NewTask to "Neue Aufgabe", S.TaskTitle to "Was ist zu tun", S.Due to "Fällig {0}",
    S.NoDue to "Ohne Termin",
    S.Pipeline to "Pipeline", S.NoDeals to "Keine Deals in dieser Phase", S.NoDealsHint to "Verschieben Sie einen Deal hierher oder legen Sie einen an.",
    S.MoveTo to "Verschieben nach…", S.DealsCount to "Deals: {0}", S.MoveDeal to "„{0}“ verschieben", S.StageWon to "gewonnen",
    S.StageLost to "verloren", S.NewDeal to "Neuer Deal", S.DealTitle to "Deal", S.Value to "Wert", S.Currency to "Währung",
    S.NoConflicts to "Keine Konflikte", S.NoConflictsHint to "Wird ein Feld auf zwei Geräten gleichzeitig geändert, sehen Sie hier beide Werte zur Auswahl.",
    S.ConflictOn to "{0}: {1}", S.KeepThis to "Diesen behalten", S.WriteNew to "Neuen Wert schreiben", S.NewValue to "Neuer Wert",
    S.UseNew to "Übernehmen", S.WrittenBy to "{0}, {1}", S.Resolved to "Gelöst", S.ConflictsWaiting to "Zu lösende Konflikte: {0}",
    S.FieldDeleted to "gelöscht",
    S.Devices to "Geräte und Personen", S.ThisDevice to "dieses Gerät", S.Revoked to "entzogen", S.Admin to "Admin",
    S.Member to "Mitglied", S.Revoke to "Entziehen", S.RevokeConfirmTitle to "{0} entziehen?",
    S.RevokeConfirmText to "Für ein verlorenes oder gestohlenes Gerät. Es erhält ab jetzt nichts Neues. Nicht rückgängig zu machen.",
    S.Invite to "Kollegen einladen", S.InviteText to "Code scannen lassen oder den Link schicken (1 Stunde gültig).",
    S.CopyTicket to "Link kopieren", S.Copied to "Kopiert", S.SyncNow to "Jetzt synchronisieren", S.Syncing to "Synchronisiere…",
    S.SyncStatus to "Sync-Status", S.NeverSynced to "Noch nicht synchronisiert", S.ViaDirect to "direkt", S.ViaRelay to "über Relay",
    S.Received to "{0} empfangen", S.Sent to "{0} gesendet", S.RefusedRecords to "Abgelehnte Einträge: {0}",
    S.SyncFailed to "Synchronisierung fehlgeschlagen: {0}", S.RelaySettings to "Relay", S.RelayAddress to "Relay-Adresse (host:port)",
    S.RelayToken to "Relay-Token", S.RelaySave to "Relay verwenden", S.RelayNone to "Kein Relay: Geräte synchronisieren, wenn sie sich erreichen.",
    S.RelaySaved to "Relay gespeichert", S.SyncWithTicket to "Mit einem Gerät synchronisieren (deko:-Link)", S.SyncThisDevice to "Mit diesem Gerät synchronisieren", S.SyncDone to "Synchronisiert",
    S.NoPeers to "Noch kein anderes Gerät", S.NoPeersHint to "Laden Sie einen Kollegen ein, dann synchronisieren.", S.LastSync to "{0}, {1}",
    S.YourNameLabel to "Ihr Name", S.YourNameHint to "Festgelegt beim Gründen oder Beitreten.", S.Region to "Telefonregion",
    S.RegionHint to "Für Nummern ohne Ländervorwahl, z. B. CZ, DE, AT.", S.Language to "Sprache",
    S.Theme to "Design", S.ThemeSystem to "System", S.ThemeLight to "Hell", S.ThemeDark to "Dunkel", S.Device to "Dieses Gerät",
    S.Version to "Version", S.Saved to "Gespeichert", S.ErrorTitle to "Etwas ist schiefgegangen", S.Retry to "Erneut versuchen",
    S.InvalidTime to "Datum und Uhrzeit wie {0} eingeben", S.InvalidMinutes to "Minuten, z. B. 4 oder 4:30", S.NavTeam to "Team", S.NavSettings to "Optionen", S.GoTo to "Gehe zu", S.Quit to "Beenden", S.About to "Mit {0}",
    S.ErrUnreachable to "Das Gerät ist nicht erreichbar. Ist es an und in diesem Netz (oder ist ein Relay eingestellt)?",
    S.ErrTimedOut to "Das andere Gerät antwortet nicht mehr. Bitte erneut versuchen.",
    S.ErrRefusedByPeer to "Das andere Gerät hat abgelehnt: {0}", S.ErrRelayRefused to "Das Relay hat abgelehnt: {0}",
    S.ErrBadTicket to "Dieser Einladungslink ist nicht verwendbar: vertippt, abgelaufen oder von einem anderen Team.",
    S.ErrNotAMember to "Dieses Gerät ist noch in keinem Team: gründen Sie eines oder treten Sie bei.",
    S.ErrRevoked to "Dieses Gerät wurde aus dem Team entfernt: es kann nichts mehr ändern.",
    S.ErrNotAdmin to "Das kann nur ein Admin des Teams.", S.ErrAlreadyInTeam to "Diese Datenbank gehört schon zu einem Team.",
    S.ErrStorageFull to "Das Gerät ist voll: Platz schaffen und erneut versuchen.",
    S.ErrCorrupt to "Die Datenbankdatei ist beschädigt oder keine Deko-Datenbank.", S.ErrDatabase to "Die Datenbank ist nicht verwendbar: {0}",
    S.ErrSchemaTooNew to "Diese Datenbank stammt von einem neueren Deko: App aktualisieren.",
    S.ErrNetwork to "Die Verbindung ist fehlgeschlagen. Bitte erneut versuchen.", S.ErrProtocol to "Das andere Gerät hat eine andere Deko-Version: beide aktualisieren.",
    S.NotifLogCallWith to "Anruf mit {0} erfassen · {1} Min.", S.NotifMissedFrom to "Verpasster Anruf von {0}",
    S.NotifCallWith to "Anruf mit {0} · {1} Min.",
    S.NotifUnknownText to "Diese Nummer gehört noch niemandem: neue Person anlegen oder einer Person zuordnen.",
    S.NotifTapToAddNote to "Tippen, um eine Notiz hinzuzufügen.", S.ChannelCalls to "Nach einem Anruf", S.ChannelSync to "Synchronisierung",
    S.NotifSyncingTeam to "Synchronisierung mit dem Team", S.NotifSyncProgress to "{0} von {1} Einträgen",
    S.CallsRationaleTitle to "Anrufe gleich nach dem Auflegen erfassen",
    S.CallsRationaleText to "Wenn ein Anruf endet, bietet Deko an, ihn bei der Person zu erfassen, mit der Sie gesprochen haben. Dafür muss Deko wissen, dass ein Anruf endete, und bei eingehenden Anrufen die Nummer (die Rolle zur Anrufprüfung: Deko blockiert oder beantwortet nie Anrufe).",
    S.CallsRationalePrivacy to "Nichts verlässt dieses Telefon: die Nummer wird nur hier in der Datenbank Ihres Teams gesucht.",
    S.CallsTurnOn to "Einschalten", S.NotNow to "Nicht jetzt",
    S.CallsRefused to "Anrufe werden nicht verfolgt. Erfassen Sie sie jederzeit mit „Anruf erfassen“ oder auf der Seite einer Person.",
    S.NfcServiceDescription to "Deko: Team-Einladung teilen, indem man zwei Telefone aneinanderhält",
    S.TapToShare to "Halten Sie das andere Telefon an die Rückseite dieses Telefons",
    S.Continue to "Weiter",
    S.CallsWhyPhone to "Telefon: um zu wissen, dass ein Anruf endete und wie lange er dauerte.",
    S.CallsWhyScreening to "Anrufprüfung: die Nummer eines eingehenden Anrufs, ohne Ihre Anrufliste zu lesen.",
    S.CallsWhyNotifications to "Benachrichtigungen: um gleich nach dem Anruf das Erfassen anzubieten.",
    S.NotifJoinFailed to "Beitritt zum Team fehlgeschlagen",
)

/**
 * A failure of the core in the UI's language: the kinds a person can act on
 * have their own sentence (with the peer's or relay's own words for a
 * refusal); the rest (bad input, not found, ...) show the core's sentence.
 */
fun Strings.explain(lang: Lang, p: Problem): String = when (p.kind) {
    ErrorKind.UNREACHABLE -> get(lang, S.ErrUnreachable)
    ErrorKind.TIMED_OUT -> get(lang, S.ErrTimedOut)
    ErrorKind.REFUSED_BY_PEER -> get(lang, S.ErrRefusedByPeer, p.reason?.ifBlank { null } ?: p.detail)
    ErrorKind.RELAY_REFUSED -> get(lang, S.ErrRelayRefused, p.reason?.ifBlank { null } ?: p.detail)
    ErrorKind.BAD_TICKET -> get(lang, S.ErrBadTicket)
    ErrorKind.NOT_A_MEMBER -> get(lang, S.ErrNotAMember)
    ErrorKind.REVOKED -> get(lang, S.ErrRevoked)
    ErrorKind.NOT_ADMIN -> get(lang, S.ErrNotAdmin)
    ErrorKind.ALREADY_IN_TEAM -> get(lang, S.ErrAlreadyInTeam)
    ErrorKind.STORAGE_FULL -> get(lang, S.ErrStorageFull)
    ErrorKind.CORRUPT -> get(lang, S.ErrCorrupt)
    ErrorKind.DATABASE -> get(lang, S.ErrDatabase, p.detail)
    ErrorKind.SCHEMA_TOO_NEW -> get(lang, S.ErrSchemaTooNew)
    ErrorKind.NETWORK -> get(lang, S.ErrNetwork)
    ErrorKind.PROTOCOL -> get(lang, S.ErrProtocol)
    else -> p.detail
}
