package app.deko.android

import android.content.Context
import app.deko.android.core.AppCore
import app.deko.android.nfc.TapReader
import app.deko.android.nfc.TicketCardService
import app.deko.android.nfc.TicketOutcome
import app.deko.android.nfc.useTicket
import app.deko.apdu.Apdu
import app.deko.apdu.StatusWord
import app.deko.apdu.TicketRead
import app.deko.apdu.TicketReader
import app.deko.core.SortBy
import app.deko.ffi.PersonDraft
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadows.ShadowIsoDep

/**
 * Tap two phones, over the real library: the HCE service of one phone
 * answers the other's reader with its ticket; the reading phone joins with
 * an admin's invite and later syncs with the plain ticket, over loopback QUIC.
 */
@RunWith(RobolectricTestRunner::class)
class TapTest {
    private val context: Context = RuntimeEnvironment.getApplication()
    private val cores = TestCores()

    @After
    fun tearDown() = cores.close()

    private fun names(core: AppCore) = core.db.people(SortBy.NAME, 0u, 100u).map { it.displayName }

    /** The reading phone's exchange with the card service, command by command through processCommandApdu. */
    private fun tap(card: TicketCardService, chunk: Int = Apdu.MAX_CHUNK): TicketRead =
        TicketReader(chunk).read { card.processCommandApdu(it, null) }.also { card.onDeactivated(0) }

    @Test
    fun anInviteReadByTapJoinsAndAPlainTicketSyncs() = runBlocking<Unit> {
        val alena = cores.phone("alena")
        alena.db.createTeam("Acme s.r.o.", "Alena")
        alena.db.createPerson(PersonDraft(given = "Jana", family = "Nováková"))
        val card = Robolectric.setupService(TicketCardService::class.java)

        // an admin admits a new phone: the card shares an invite
        val invite = alena.shelf.offerInvite()
        val read = tap(card, chunk = 64)
        assertEquals(TicketRead.Ticket(invite), read)
        val petr = cores.other("petr")
        assertEquals(TicketOutcome.NeedsName, petr.useTicket(invite))
        val joined = petr.useTicket((read as TicketRead.Ticket).text, "Petr")
        assertTrue("joined: $joined", joined is TicketOutcome.Joined)
        assertEquals(listOf("Jana Nováková"), names(petr))

        // later, a teammate's tap: this phone's own ticket, and the reader syncs at once
        alena.shelf.clearInvite()
        alena.db.createPerson(PersonDraft(given = "Eva", family = "Dvořáková"))
        val again = tap(card)
        assertTrue(again is TicketRead.Ticket && again.text != invite)
        val synced = petr.useTicket((again as TicketRead.Ticket).text)
        assertTrue("synced: $synced", synced is TicketOutcome.Synced && synced.stats.received > 0uL)
        assertEquals(listOf("Eva Dvořáková", "Jana Nováková"), names(petr))
        assertEquals(alena.db.stateDigest(), petr.db.stateDigest())
    }

    @Test
    fun aPhoneWithNothingToShareSaysSo() {
        cores.phone("fresh") // no team yet: no ticket
        val card = Robolectric.setupService(TicketCardService::class.java)
        assertEquals(TicketRead.Refused(StatusWord.NOT_FOUND, TicketRead.Step.SELECT), tap(card))
        // malformed commands get status words, never an exception
        assertEquals(StatusWord.WRONG_LENGTH, StatusWord.of(card.processCommandApdu(ByteArray(0), null)))
        assertEquals(StatusWord.WRONG_LENGTH, StatusWord.of(card.processCommandApdu(null, null)))
        assertEquals(StatusWord.NOT_SELECTED, StatusWord.of(card.processCommandApdu(Apdu.getData(0, 4), null)))
    }

    @Test
    fun theReaderCallbackReadsOverIsoDep() = runBlocking<Unit> {
        val alena = cores.phone("alena")
        alena.db.createTeam("Acme", "Alena")
        alena.ensureSync()
        val card = Robolectric.setupService(TicketCardService::class.java)
        val ticket = alena.shelf.current()!!
        assertTrue("one GET DATA reads it", ticket.length <= 255)
        // the IsoDep answers are the card service's own: SELECT's, then the GET DATA's
        val isoDep = ShadowIsoDep.newInstance()
        shadowOf(isoDep).setNextTransceiveResponse(card.processCommandApdu(Apdu.select(), null))
        shadowOf(isoDep).setTransceiveResponse(card.processCommandApdu(Apdu.getData(0, ticket.length), null))
        var got: TicketRead? = null
        val reader = TapReader { got = it }
        assertEquals(TicketRead.Ticket(ticket), reader.read(isoDep))
        reader.onTagDiscovered(null)
        assertEquals(TicketRead.Broken("not an ISO-DEP tag"), got)
    }

    @Test
    fun aBadTicketIsAnOutcomeNotACrash() = runBlocking<Unit> {
        val petr = cores.other("petr")
        val outcome = petr.useTicket("DEKO:NOTATICKET", "Petr")
        assertTrue("$outcome", outcome is TicketOutcome.Failed)
    }
}
