package app.deko.ui.shots

import app.deko.ui.data.*
import app.deko.ui.i18n.Lang
import app.deko.ui.jvm.FfiGateway
import kotlinx.coroutines.runBlocking
import java.io.File

/**
 * A realistic small team database for renders and tests, written through the
 * real library: a Czech sales team with customers, calls, meetings, notes,
 * tasks (overdue, today, upcoming), deals in several stages and currencies, a
 * second device that synced over loopback QUIC, and one conflict it made.
 */
object Showcase {
    data class Ids(val jan: String, val eva: String, val company: String)

    private const val DAY = 86_400_000L
    private const val MIN = 60_000L

    fun create(dir: File, name: String, lang: Lang, now: Long = System.currentTimeMillis()): Pair<FfiGateway, Ids> = runBlocking {
        val gw = FfiGateway.open(File(dir, name).path, "CZ", listen = "127.0.0.1:0")
        gw.createTeam("Strojírny Brno s.r.o.", "Alena Malá")
        if (lang == Lang.CS) {
            // The default pipeline's names are the team's data; a Czech team names them in Czech.
            val czech = listOf("Nový zájem", "Ověřeno", "Nabídka", "Jednání", "Vyhráno", "Prohráno")
            gw.db.stages().zip(czech).forEach { (s, n) -> gw.db.renameStage(s.id, n) }
        }
        val zdar = gw.saveCompany(null, CompanyForm("Strojírny Žďár a.s.", listOf(PhoneNumber(PhoneKind.WORK, "566 123 400")), listOf("info@strojirny-zdar.cz"), "strojirny-zdar.cz", "Strojírenství"))
        gw.saveCompany(null, CompanyForm("Pekárna U Mlýna", emptyList(), emptyList(), "", "Potravinářství"))
        gw.saveCompany(null, CompanyForm("Autodíly Novotný", emptyList(), emptyList(), "", "Automotive"))
        gw.saveCompany(null, CompanyForm("Müller Maschinenbau GmbH", emptyList(), emptyList(), "mueller-mb.de", "Maschinenbau"))
        fun p(g: String, f: String, title: String, company: String, phone: String?, email: String?) = PersonForm(
            g, f, title, company, listOfNotNull(phone?.let { PhoneNumber(PhoneKind.MOBILE, it) }), listOfNotNull(email), "",
        )
        val jan = gw.savePerson(
            null,
            p("Jan", "Novák", "Nákupčí", "Strojírny Žďár a.s.", "603 123 456", "jan.novak@strojirny-zdar.cz")
                .let { it.copy(phones = it.phones + PhoneNumber(PhoneKind.WORK, "566 123 411")) },
        )
        val eva = gw.savePerson(null, p("Eva", "Dvořáková", "Ředitelka", "Pekárna U Mlýna", "604 222 333", "eva@umlyna.cz"))
        gw.savePerson(null, p("Petr", "Svoboda", "Technik", "Strojírny Žďár a.s.", "605 111 222", null))
        gw.savePerson(null, p("Marie", "Horáková", "Jednatelka", "Autodíly Novotný", "731 555 666", "horakova@autodily-novotny.cz"))
        gw.savePerson(null, p("Tomáš", "Procházka", "Vedoucí výroby", "Strojírny Žďár a.s.", "608 777 888", null))
        gw.savePerson(null, p("Lucie", "Černá", "Asistentka", "Pekárna U Mlýna", null, "cerna@umlyna.cz"))
        gw.savePerson(null, p("Jiří", "Kučera", "Obchodník", "", "777 123 987", null))
        gw.savePerson(null, p("Klaus", "Müller", "Einkaufsleiter", "Müller Maschinenbau GmbH", "+49 151 23456789", "k.mueller@mueller-mb.de"))
        gw.savePerson(null, p("Anna", "Veselá", "", "", "602 333 444", null))
        gw.savePerson(null, p("Martin", "Pokorný", "Konstruktér", "Autodíly Novotný", null, null))
        gw.savePerson(null, p("Zdeňka", "Marková", "Účetní", "Strojírny Žďár a.s.", null, "markova@strojirny-zdar.cz"))

        gw.logCall(CallDraft("+420603123456", now - 3 * DAY, 272, CallDirection.OUT, CallOutcome.CONNECTED, "Chce nabídku na 40 ložisek do pátku."))
        gw.logCall(CallDraft("+420603123456", now - 2 * DAY - 90 * MIN, 0, CallDirection.OUT, CallOutcome.NO_ANSWER, null))
        gw.logMeeting(now - DAY - 120 * MIN, now - DAY - 60 * MIN, "Žďár nad Sázavou, závod 2", jan, zdar, "Prohlídka linky, zájem o servisní smlouvu.")
        gw.addNote(now - 5 * DAY, "Preferuje e-mail, volat po 14. hodině.", jan, null)
        gw.logCall(CallDraft("604 222 333", now - 4 * DAY, 95, CallDirection.IN, CallOutcome.CONNECTED, "Reklamace dodávky z března."))
        gw.logCall(CallDraft("776 000 111", now - 6 * 60 * MIN, 40, CallDirection.IN, null, null))

        gw.createTask("Poslat nabídku na ložiska", now - DAY, jan)
        gw.createTask("Zavolat kvůli reklamaci", now + 60 * MIN, eva)
        gw.createTask("Připravit servisní smlouvu", now + 3 * DAY, jan)
        gw.createTask("Objednat vzorky", now + 7 * DAY, null)

        val stages = gw.db.stages()
        val d1 = gw.createDeal("Ložiska 6204 – 40 ks", MoneyValue(18_600_000, "CZK"), "Strojírny Žďár a.s.")
        val d2 = gw.createDeal("Servisní smlouva 2026", MoneyValue(96_000_000, "CZK"), "Strojírny Žďár a.s.")
        gw.createDeal("Náhradní díly", MoneyValue(1_250_000, "EUR"), "Müller Maschinenbau GmbH")
        val d4 = gw.createDeal("Pekárenská linka", MoneyValue(42_000_000, "CZK"), "Pekárna U Mlýna")
        val d5 = gw.createDeal("Převodovky", MoneyValue(890_000, "EUR"), "Müller Maschinenbau GmbH")
        gw.moveDeal(d2, stages[2].id)
        gw.moveDeal(d4, stages[3].id)
        gw.moveDeal(d5, stages[4].id)
        gw.moveDeal(d1, stages[1].id)

        // A second device: joins over loopback QUIC, both change Jan's title, they sync.
        val ticket = gw.invite().ticket
        FfiGateway.open(File(dir, "$name-peer.db").path, null, listen = "127.0.0.1:0").use { peer ->
            peer.join(ticket, "Bohdan Král") {}
            gw.savePerson(jan, PersonForm("Jan", "Novák", "Vedoucí nákupu", "Strojírny Žďár a.s.", gw.person(jan)!!.phones, listOf("jan.novak@strojirny-zdar.cz"), ""))
            peer.savePerson(jan, PersonForm("Jan", "Novák", "Hlavní nákupčí", "Strojírny Žďár a.s.", peer.person(jan)!!.phones, listOf("jan.novak@strojirny-zdar.cz"), ""))
            peer.syncNow { }
        }
        gw.db.stopSync()
        gw to Ids(jan, eva, zdar)
    }
}
