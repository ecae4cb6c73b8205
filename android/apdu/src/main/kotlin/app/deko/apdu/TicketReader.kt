package app.deko.apdu

/** What reading a card gave: a ticket, or why not. */
sealed interface TicketRead {
    /** The ticket's text (`deko:…`, any case), as the card shared it. */
    data class Ticket(val text: String) : TicketRead

    /** The card answered with a status word other than `90 00` (null: not one of the exchange's). */
    data class Refused(val status: StatusWord?, val step: Step) : TicketRead

    /** The card's answers do not follow the exchange (lengths that do not add up). */
    data class Broken(val why: String) : TicketRead

    /** The bytes arrived but are not a Deko ticket (not UTF-8, or not starting with `deko:`). */
    data object NotATicket : TicketRead

    /** The link failed (the phones moved apart): [cause] is the platform's exception. */
    data class Lost(val cause: Exception) : TicketRead

    enum class Step { SELECT, GET_DATA }
}

/**
 * The reader side of the exchange: SELECT, then GET DATA in chunks of at
 * most [chunk] bytes (1…255) until the ticket's length has arrived. The link
 * is a function sending a command APDU and returning the card's answer
 * (Android: `IsoDep.transceive`); its exceptions end the read as
 * [TicketRead.Lost]. Never throws.
 */
class TicketReader(private val chunk: Int = Apdu.MAX_CHUNK) {
    init {
        require(chunk in 1..Apdu.MAX_CHUNK) { "chunk $chunk" }
    }

    fun read(transceive: (ByteArray) -> ByteArray): TicketRead {
        try {
            val selected = transceive(Apdu.select())
            if (!selected.endsWithOk()) return TicketRead.Refused(StatusWord.of(selected), TicketRead.Step.SELECT)
            if (selected.size != 4) return TicketRead.Broken("SELECT answered ${selected.size - 2} bytes, not the 2 of a length")
            val total = (selected[0].u() shl 8) or selected[1].u()
            if (total == 0) return TicketRead.Broken("the card shares an empty ticket")
            val ticket = ByteArray(total)
            var have = 0
            while (have < total) {
                val want = minOf(chunk, total - have)
                val answer = transceive(Apdu.getData(have, want))
                if (!answer.endsWithOk()) return TicketRead.Refused(StatusWord.of(answer), TicketRead.Step.GET_DATA)
                val got = answer.size - 2
                if (got == 0 || got > want) return TicketRead.Broken("asked for $want bytes at $have, got $got")
                answer.copyInto(ticket, have, 0, got)
                have += got
            }
            return decode(ticket)
        } catch (e: Exception) {
            return TicketRead.Lost(e)
        }
    }

    private fun decode(bytes: ByteArray): TicketRead {
        val text = try {
            Charsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString()
        } catch (_: java.nio.charset.CharacterCodingException) {
            return TicketRead.NotATicket
        }
        return if (text.startsWith("deko:", ignoreCase = true)) TicketRead.Ticket(text) else TicketRead.NotATicket
    }

    private fun ByteArray.endsWithOk() = StatusWord.of(this) == StatusWord.OK
}
