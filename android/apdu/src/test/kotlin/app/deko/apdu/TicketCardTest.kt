package app.deko.apdu

import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Test

/** The card side, command by command: the exact bytes of docs/api.md and a clear status word for everything else. */
class TicketCardTest {
    private val ticket = ticketOf(600)
    private fun card(t: String? = ticket) = TicketCard { t }
    private fun selected(t: String? = ticket) = card(t).also { assertEquals(StatusWord.OK, it.respond(Apdu.select()).status()) }

    @Test
    fun selectAnswersTheLengthAndGetDataTheBytes() {
        val c = card()
        assertArrayEquals(hex(0x02, 0x58, 0x90, 0x00), c.respond(hex(0x00, 0xA4, 0x04, 0x00, 0x06, 0xF0, 0x44, 0x45, 0x4B, 0x4F, 0x01, 0x00)))
        val first = c.respond(hex(0x80, 0xCA, 0x00, 0x00, 0xFF))
        assertEquals(StatusWord.OK, first.status())
        assertEquals(ticket.take(255), first.data().decodeToString())
        val last = c.respond(hex(0x80, 0xCA, 0x02, 0x30, 0xFF)) // offset 560: 40 bytes left
        assertEquals(ticket.substring(560), last.data().decodeToString())
    }

    @Test
    fun selectWithoutLeWorksToo() {
        val c = card()
        assertArrayEquals(hex(0x02, 0x58, 0x90, 0x00), c.respond(Apdu.select().copyOf(11)))
    }

    @Test
    fun leZeroMeans256() {
        assertEquals(256, selected().respond(hex(0x80, 0xCA, 0x00, 0x00, 0x00)).data().size)
    }

    @Test
    fun nothingToShare() {
        assertEquals(StatusWord.NOT_FOUND, card(null).respond(Apdu.select()).status())
        assertEquals(StatusWord.NOT_FOUND, card("").respond(Apdu.select()).status())
        assertEquals(StatusWord.NOT_FOUND, card(ticketOf(Apdu.MAX_TICKET + 1)).respond(Apdu.select()).status())
        assertEquals(StatusWord.NOT_FOUND, TicketCard { error("the database is gone") }.respond(Apdu.select()).status())
        assertArrayEquals(hex(0xFF, 0xFF, 0x90, 0x00), card(ticketOf(Apdu.MAX_TICKET)).respond(Apdu.select()))
    }

    @Test
    fun anotherAidIsNotFound() {
        val other = hex(0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01, 0x00)
        assertEquals(StatusWord.NOT_FOUND, card().respond(other).status())
        val longer = hex(0x00, 0xA4, 0x04, 0x00, 0x07, 0xF0, 0x44, 0x45, 0x4B, 0x4F, 0x01, 0x02)
        assertEquals(StatusWord.NOT_FOUND, card().respond(longer).status())
        val shorter = hex(0x00, 0xA4, 0x04, 0x00, 0x05, 0xF0, 0x44, 0x45, 0x4B, 0x4F)
        assertEquals(StatusWord.NOT_FOUND, card().respond(shorter).status())
    }

    @Test
    fun getDataBeforeSelectIsRefused() {
        assertEquals(StatusWord.NOT_SELECTED, card().respond(Apdu.getData(0, 10)).status())
    }

    @Test
    fun aFailedSelectForgetsTheTicket() {
        val c = selected()
        assertEquals(StatusWord.WRONG_P1P2, c.respond(hex(0x00, 0xA4, 0x04, 0x0C, 0x06) + Apdu.AID).status())
        assertEquals(StatusWord.NOT_SELECTED, c.respond(Apdu.getData(0, 10)).status())
        c.respond(Apdu.select())
        c.deselect()
        assertEquals(StatusWord.NOT_SELECTED, c.respond(Apdu.getData(0, 10)).status())
    }

    @Test
    fun theTicketIsFixedUntilTheNextSelect() {
        var current = ticketOf(300)
        val c = TicketCard { current }
        c.respond(Apdu.select())
        current = "deko:changed"
        assertEquals(ticketOf(300).take(255), c.respond(Apdu.getData(0, 255)).data().decodeToString())
        assertArrayEquals(hex(0x00, 12, 0x90, 0x00), c.respond(Apdu.select()))
        assertEquals("deko:changed", c.respond(Apdu.getData(0, 255)).data().decodeToString())
    }

    @Test
    fun offsetsAtOrPastTheEnd() {
        val c = selected(ticketOf(300))
        for (offset in 300..0xFFFF) {
            assertEquals("offset $offset", StatusWord.PAST_THE_END, c.respond(hex(0x80, 0xCA, offset ushr 8, offset and 0xFF, 0x10)).status())
        }
        assertEquals(ticketOf(300).substring(299), c.respond(Apdu.getData(299, 255)).data().decodeToString())
    }

    @Test
    fun everyOtherClassIsUnknown() {
        for (cla in 0..0xFF) {
            if (cla == Apdu.CLA_ISO || cla == Apdu.CLA_PROPRIETARY) continue
            for (command in listOf(Apdu.select(), Apdu.getData(0, 1))) {
                command[0] = cla.toByte()
                assertEquals("CLA %02X".format(cla), StatusWord.UNKNOWN_CLASS, selected().respond(command).status())
            }
        }
    }

    @Test
    fun everyOtherInstructionIsUnknown() {
        for (ins in 0..0xFF) {
            if (ins != Apdu.INS_SELECT) assertEquals(StatusWord.UNKNOWN_INSTRUCTION, selected().respond(hex(0x00, ins, 0x04, 0x00)).status())
            if (ins != Apdu.INS_GET_DATA) assertEquals(StatusWord.UNKNOWN_INSTRUCTION, selected().respond(hex(0x80, ins, 0x00, 0x00, 0x01)).status())
        }
    }

    @Test
    fun selectWithOtherParameters() {
        for (p1 in 0..0xFF) for (p2 in 0..0xFF) {
            if (p1 == 0x04 && p2 == 0x00) continue
            assertEquals(StatusWord.WRONG_P1P2, card().respond(hex(0x00, 0xA4, p1, p2, 0x06) + Apdu.AID + hex(0x00)).status())
        }
    }

    @Test
    fun everyTruncationOfEitherCommand() {
        val select = Apdu.select()
        for (n in 0 until 11) {
            assertEquals("SELECT cut to $n bytes", StatusWord.WRONG_LENGTH, card().respond(select.copyOf(n)).status())
        }
        val get = Apdu.getData(0, 10)
        for (n in 0 until 5) {
            assertEquals("GET DATA cut to $n bytes", StatusWord.WRONG_LENGTH, selected().respond(get.copyOf(n)).status())
        }
    }

    @Test
    fun lengthsThatDoNotAddUp() {
        // Lc 0 (or an extended-length APDU, which starts with Lc 00), Lc past the data, trailing bytes
        assertEquals(StatusWord.WRONG_LENGTH, card().respond(hex(0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x06) + Apdu.AID).status())
        assertEquals(StatusWord.WRONG_LENGTH, card().respond(hex(0x00, 0xA4, 0x04, 0x00, 0x09) + Apdu.AID).status())
        assertEquals(StatusWord.WRONG_LENGTH, card().respond(Apdu.select() + hex(0x00)).status())
        assertEquals(StatusWord.WRONG_LENGTH, selected().respond(Apdu.getData(0, 10) + hex(0x00)).status())
        assertEquals(StatusWord.WRONG_LENGTH, selected().respond(hex(0x80, 0xCA, 0x00, 0x00, 0x02, 0x41, 0x42, 0x00)).status())
    }
}
