package app.deko.apdu

/**
 * The NFC ticket exchange's constants and commands (docs/api.md, "NFC ticket
 * exchange"): Deko's proprietary AID, the two commands a reader sends and the
 * status words a card answers. Shared by the card side ([TicketCard]) and the
 * reader side ([TicketReader]) so that both speak exactly the same bytes; the
 * iPhone's reader (ios/…/NFCTicketReader.swift) follows the same table.
 */
object Apdu {
    /** Deko's AID: `F0` (proprietary) + ASCII `DEKO` + version `01`. */
    val AID: ByteArray = bytes(0xF0, 0x44, 0x45, 0x4B, 0x4F, 0x01)

    /** The AID as Android's apduservice.xml and iOS's entitlement write it. */
    const val AID_HEX = "F044454B4F01"

    const val CLA_ISO = 0x00
    const val CLA_PROPRIETARY = 0x80
    const val INS_SELECT = 0xA4
    const val INS_GET_DATA = 0xCA

    /** The longest ticket a card can share: its length travels in two bytes. */
    const val MAX_TICKET = 0xFFFF

    /** The most bytes a reader asks for at once (a short APDU's `Le`, never `00`). */
    const val MAX_CHUNK = 255

    /** `00 A4 04 00 06 <AID> 00`: SELECT by AID, the first command of an exchange. */
    fun select(): ByteArray = bytes(CLA_ISO, INS_SELECT, 0x04, 0x00, AID.size) + AID + bytes(0x00)

    /** `80 CA HH LL NN`: GET DATA of [length] (1…255) bytes from [offset] (0…65535). */
    fun getData(offset: Int, length: Int): ByteArray {
        require(offset in 0..MAX_TICKET) { "offset $offset" }
        require(length in 1..MAX_CHUNK) { "length $length" }
        return bytes(CLA_PROPRIETARY, INS_GET_DATA, offset ushr 8, offset and 0xFF, length)
    }

    internal fun bytes(vararg b: Int) = ByteArray(b.size) { b[it].toByte() }
}

/** The status words of the exchange: the last two bytes of every answer. */
enum class StatusWord(val sw1: Int, val sw2: Int, val meaning: String) {
    OK(0x90, 0x00, "done"),
    WRONG_LENGTH(0x67, 0x00, "a command shorter than 4 bytes, or whose lengths do not add up"),
    NOT_SELECTED(0x69, 0x85, "GET DATA before a successful SELECT"),
    NOT_FOUND(0x6A, 0x82, "another AID, or no ticket to share"),
    WRONG_P1P2(0x6A, 0x86, "SELECT with other parameters than 04 00"),
    PAST_THE_END(0x6B, 0x00, "an offset at or past the ticket's end"),
    UNKNOWN_INSTRUCTION(0x6D, 0x00, "an instruction this class does not have"),
    UNKNOWN_CLASS(0x6E, 0x00, "a class other than 00 and 80"),
    ;

    /** The two bytes, as a card sends them. */
    fun bytes(): ByteArray = Apdu.bytes(sw1, sw2)

    /** `6A82` style, for messages. */
    fun hex(): String = "%02X%02X".format(sw1, sw2)

    companion object {
        /** The status word ending [answer], or null when the answer is too short or the word is not one of ours. */
        fun of(answer: ByteArray): StatusWord? {
            if (answer.size < 2) return null
            val sw1 = answer[answer.size - 2].toInt() and 0xFF
            val sw2 = answer[answer.size - 1].toInt() and 0xFF
            return entries.firstOrNull { it.sw1 == sw1 && it.sw2 == sw2 }
        }
    }
}
