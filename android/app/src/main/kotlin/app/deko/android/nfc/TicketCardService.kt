package app.deko.android.nfc

import android.nfc.cardemulation.HostApduService
import android.os.Bundle
import app.deko.android.core.Deko
import app.deko.apdu.TicketCard

/**
 * Host card emulation on Deko's AID (res/xml/apduservice.xml): another
 * phone held to this one reads the ticket this phone shares
 * ([app.deko.android.core.TicketShelf]) through the exchange of
 * docs/api.md. The protocol is android/apdu's [TicketCard]; this class only
 * hands it the platform's commands.
 */
class TicketCardService : HostApduService() {
    private val card = TicketCard { Deko.core(this).shelf.current() }

    override fun processCommandApdu(commandApdu: ByteArray?, extras: Bundle?): ByteArray = card.respond(commandApdu ?: ByteArray(0))

    override fun onDeactivated(reason: Int) = card.deselect()
}
