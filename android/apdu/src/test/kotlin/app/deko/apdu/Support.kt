package app.deko.apdu

/** A ticket-shaped text of [length] bytes: `DEKO:` then base32 letters, as real tickets are. */
fun ticketOf(length: Int): String {
    val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    val head = "DEKO:"
    return buildString(length) {
        append(head.take(length))
        while (this.length < length) append(alphabet[(this.length * 7 + 3) % alphabet.length])
    }
}

fun hex(vararg b: Int) = ByteArray(b.size) { b[it].toByte() }

fun ByteArray.status(): StatusWord? = StatusWord.of(this)

/** The card's data bytes (the answer without its status word). */
fun ByteArray.data(): ByteArray = copyOfRange(0, size - 2)
