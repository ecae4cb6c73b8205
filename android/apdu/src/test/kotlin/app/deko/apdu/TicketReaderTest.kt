package app.deko.apdu

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.IOException

/** The reader side against honest and misbehaving cards: a ticket or a reason, never an exception. */
class TicketReaderTest {
    @Test
    fun readsATicketInChunks() {
        val t = ticketOf(1000)
        val sent = mutableListOf<ByteArray>()
        val card = TicketCard { t }
        val read = TicketReader().read { sent += it; card.respond(it) }
        assertEquals(TicketRead.Ticket(t), read)
        assertEquals(listOf(0, 255, 510, 765), sent.drop(1).map { (it[2].u() shl 8) or it[3].u() })
        assertEquals(listOf(255, 255, 255, 235), sent.drop(1).map { it[4].u() })
    }

    @Test
    fun lowerCaseTicketsAreTickets() {
        assertEquals(TicketRead.Ticket("deko:abc"), TicketReader().read(TicketCard { "deko:abc" }::respond))
    }

    @Test
    fun refusalsCarryTheirStatusWord() {
        assertEquals(TicketRead.Refused(StatusWord.NOT_FOUND, TicketRead.Step.SELECT), TicketReader().read(TicketCard { null }::respond))
        assertEquals(TicketRead.Refused(null, TicketRead.Step.SELECT), TicketReader().read { hex(0x63, 0x00) })
        val card = TicketCard { ticketOf(400) }
        val read = TicketReader().read { c -> if (c[1].u() == Apdu.INS_GET_DATA && c[3].u() == 0xFF) hex(0x6B, 0x00) else card.respond(c) }
        assertEquals(TicketRead.Refused(StatusWord.PAST_THE_END, TicketRead.Step.GET_DATA), read)
    }

    @Test
    fun notATicket() {
        assertEquals(TicketRead.NotATicket, TicketReader().read(TicketCard { "https://example.com" }::respond))
        assertEquals(TicketRead.NotATicket, TicketReader().read(TicketCard { "deko" }::respond))
        // "deko:" then a lone continuation byte: not UTF-8
        val bytes = "deko:".encodeToByteArray() + hex(0x80)
        assertEquals(TicketRead.NotATicket, TicketReader().read { c ->
            if (c[1].u() == Apdu.INS_SELECT) hex(0x00, bytes.size, 0x90, 0x00) else bytes + hex(0x90, 0x00)
        })
    }

    @Test
    fun answersThatDoNotAddUp() {
        assertTrue(TicketReader().read { hex(0x90, 0x00) } is TicketRead.Broken)
        assertTrue(TicketReader().read { hex(0x00, 0x00, 0x90, 0x00) } is TicketRead.Broken)
        assertTrue(TicketReader().read { hex(0x00, 0x05, 0x00, 0x90, 0x00) } is TicketRead.Broken)
        // a card that sends more than asked, or nothing at all
        assertTrue(TicketReader(10).read { c -> if (c[1].u() == Apdu.INS_SELECT) hex(0x00, 0x20, 0x90, 0x00) else ByteArray(11) + hex(0x90, 0x00) } is TicketRead.Broken)
        assertTrue(TicketReader().read { c -> if (c[1].u() == Apdu.INS_SELECT) hex(0x00, 0x20, 0x90, 0x00) else hex(0x90, 0x00) } is TicketRead.Broken)
    }

    @Test
    fun aCardThatSendsLessThanAskedIsReadOn() {
        val t = ticketOf(100)
        val card = TicketCard { t }
        val stingy = TicketReader().read { c ->
            val a = card.respond(c)
            if (c[1].u() == Apdu.INS_GET_DATA) a.copyOfRange(0, minOf(7, a.size - 2)) + hex(0x90, 0x00) else a
        }
        assertEquals(TicketRead.Ticket(t), stingy)
    }

    @Test
    fun aLostLinkEndsTheRead() {
        val card = TicketCard { ticketOf(1000) }
        var n = 0
        val read = TicketReader().read { if (++n == 3) throw IOException("Tag was lost.") else card.respond(it) }
        assertTrue(read is TicketRead.Lost && read.cause is IOException)
        assertTrue(TicketReader().read { throw SecurityException("tag out of date") } is TicketRead.Lost)
    }
}
