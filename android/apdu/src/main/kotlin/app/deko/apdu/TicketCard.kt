package app.deko.apdu

/**
 * The card side of the exchange (an Android phone's host card emulation):
 * answers each command APDU with the bytes docs/api.md gives, and never
 * throws, whatever arrives. [ticket] is asked at each SELECT for the ticket
 * to share (null: nothing to share); the ticket taken then stays fixed until
 * the next SELECT or [deselect], so a reader never sees two tickets mixed.
 *
 * Not thread-safe: the platform delivers one command at a time.
 */
class TicketCard private constructor(private val ticketBytes: () -> ByteArray?, @Suppress("UNUSED_PARAMETER") bytes: Unit) {
    constructor(ticket: () -> String?) : this({ ticket()?.encodeToByteArray() }, Unit)

    internal companion object {
        /** A card sharing raw bytes (tests: tickets of every length without re-encoding each). */
        fun ofBytes(ticket: () -> ByteArray?) = TicketCard(ticket, Unit)
    }

    private var selected: ByteArray? = null

    /** The answer to [command]: data (possibly none) followed by a status word. */
    fun respond(command: ByteArray): ByteArray {
        if (command.size < 4) return StatusWord.WRONG_LENGTH.bytes()
        val cla = command[0].u()
        val ins = command[1].u()
        return when (cla) {
            Apdu.CLA_ISO -> if (ins == Apdu.INS_SELECT) select(command) else StatusWord.UNKNOWN_INSTRUCTION.bytes()
            Apdu.CLA_PROPRIETARY -> if (ins == Apdu.INS_GET_DATA) getData(command) else StatusWord.UNKNOWN_INSTRUCTION.bytes()
            else -> StatusWord.UNKNOWN_CLASS.bytes()
        }
    }

    /** The reader left (the link was lost or another AID was selected): forget the ticket. */
    fun deselect() {
        selected = null
    }

    // 00 A4 04 00 Lc <AID> [Le]: any SELECT first forgets the ticket taken before.
    private fun select(c: ByteArray): ByteArray {
        selected = null
        if (c[2].u() != 0x04 || c[3].u() != 0x00) return StatusWord.WRONG_P1P2.bytes()
        if (c.size < 6) return StatusWord.WRONG_LENGTH.bytes()
        val lc = c[4].u()
        if (lc == 0 || (c.size != 5 + lc && c.size != 6 + lc)) return StatusWord.WRONG_LENGTH.bytes()
        if (!c.copyOfRange(5, 5 + lc).contentEquals(Apdu.AID)) return StatusWord.NOT_FOUND.bytes()
        val bytes = runCatching { ticketBytes() }.getOrNull()
        if (bytes == null || bytes.isEmpty() || bytes.size > Apdu.MAX_TICKET) return StatusWord.NOT_FOUND.bytes()
        selected = bytes
        return Apdu.bytes(bytes.size ushr 8, bytes.size and 0xFF) + StatusWord.OK.bytes()
    }

    // 80 CA HH LL Le: Le 00 means 256, as in ISO 7816-4.
    private fun getData(c: ByteArray): ByteArray {
        val bytes = selected ?: return StatusWord.NOT_SELECTED.bytes()
        if (c.size != 5) return StatusWord.WRONG_LENGTH.bytes()
        val offset = (c[2].u() shl 8) or c[3].u()
        val wanted = c[4].u().let { if (it == 0) 256 else it }
        if (offset >= bytes.size) return StatusWord.PAST_THE_END.bytes()
        return bytes.copyOfRange(offset, minOf(bytes.size, offset + wanted)) + StatusWord.OK.bytes()
    }
}

internal fun Byte.u(): Int = toInt() and 0xFF
