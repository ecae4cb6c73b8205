package app.deko.apdu

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import kotlin.random.Random

/**
 * Properties of the whole exchange, over every ticket length and any chunking,
 * and of the card over arbitrary bytes. Seeded: a failure names its case and
 * repeats.
 */
class ExchangePropertiesTest {
    private val longest = ticketOf(Apdu.MAX_TICKET)
    private val longestBytes = longest.encodeToByteArray()

    /** Reads [length] bytes of [longest] through a card with [chunk]; returns the result and the command count. */
    private fun exchange(length: Int, chunk: Int): Pair<TicketRead, Int> {
        val card = TicketCard.ofBytes { longestBytes.copyOf(length) }
        var commands = 0
        val read = TicketReader(chunk).read { commands++; card.respond(it) }
        return read to commands
    }

    private fun expected(length: Int) = if (length >= 5) TicketRead.Ticket(longest.substring(0, length)) else TicketRead.NotATicket

    @Test
    fun everyLengthArrivesWholeInTheFewestCommands() {
        for (length in 1..Apdu.MAX_TICKET) {
            val (read, commands) = exchange(length, Apdu.MAX_CHUNK)
            val whole = if (length >= 5) read is TicketRead.Ticket && read.text.length == length && longest.startsWith(read.text) else read == TicketRead.NotATicket
            if (!whole) assertEquals("length $length", expected(length), read)
            if (commands != 1 + (length + 254) / 255) assertEquals("commands for length $length", 1 + (length + 254) / 255, commands)
        }
    }

    @Test
    fun everyChunkSizeAtTheEdges() {
        val lengths = listOf(1, 4, 5, 6, 254, 255, 256, 257, 509, 510, 511, 4096, 65279, 65280, 65281, 65534, 65535)
        for (chunk in 1..Apdu.MAX_CHUNK) for (length in lengths) {
            val (read, commands) = exchange(length, chunk)
            assertEquals("length $length chunk $chunk", expected(length), read)
            assertEquals("length $length chunk $chunk", 1 + (length + chunk - 1) / chunk, commands)
        }
    }

    @Test
    fun anyLengthWithAnyChunk() {
        val random = Random(14)
        repeat(3000) {
            val length = random.nextInt(1, Apdu.MAX_TICKET + 1)
            val chunk = random.nextInt(1, Apdu.MAX_CHUNK + 1)
            assertEquals("length $length chunk $chunk", expected(length), exchange(length, chunk).first)
        }
    }

    @Test
    fun nonAsciiTicketsArriveWholeWhateverTheChunksCut() {
        // multi-byte characters split across chunks must still decode as one text
        val text = "deko:" + "Nováková Dvořák Müller ".repeat(40)
        for (chunk in 1..Apdu.MAX_CHUNK) {
            val card = TicketCard { text }
            assertEquals("chunk $chunk", TicketRead.Ticket(text), TicketReader(chunk).read(card::respond))
        }
    }

    @Test
    fun theCardAnswersAnyBytesWithAStatusWordAndNeverThrows() {
        val random = Random(26)
        val interesting = intArrayOf(0x00, 0x80, 0xA4, 0xCA, 0x04, 0x06, 0xFF, 0x01)
        fun byte() = if (random.nextInt(3) == 0) random.nextInt(256) else interesting[random.nextInt(interesting.size)]
        repeat(200_000) { i ->
            val card = TicketCard.ofBytes { if (i % 7 == 0) null else longestBytes.copyOf(1 + i % 700) }
            if (i % 2 == 0) card.respond(Apdu.select())
            val size = if (random.nextInt(4) == 0) random.nextInt(0, 300) else random.nextInt(0, 14)
            val command = ByteArray(size) { byte().toByte() }
            if (size >= 11 && random.nextBoolean()) Apdu.AID.copyInto(command, 5)
            val answer = card.respond(command)
            val status = answer.status()
            if (status == null || (status != StatusWord.OK && answer.size != 2)) {
                fail("command ${command.hexString()} answered ${answer.hexString()}: not a status word, or an error with data")
            }
        }
    }

    @Test
    fun theReaderSurvivesAnyCard() {
        val random = Random(41)
        repeat(20_000) {
            val read = TicketReader(random.nextInt(1, 256)).read {
                val size = random.nextInt(0, 300)
                ByteArray(size) { random.nextInt(256).toByte() }.also { a ->
                    // often a plausible success, so that reads go on past SELECT
                    if (size >= 2 && random.nextBoolean()) { a[size - 2] = 0x90.toByte(); a[size - 1] = 0 }
                }
            }
            assertTrue(read !is TicketRead.Lost)
        }
    }
}

private fun ByteArray.hexString() = joinToString("") { "%02X".format(it) }
