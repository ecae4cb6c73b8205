package app.deko.android.nfc

import android.app.Activity
import android.nfc.NfcAdapter
import android.nfc.Tag
import android.nfc.tech.IsoDep
import app.deko.apdu.TicketRead
import app.deko.apdu.TicketReader
import java.io.IOException

/**
 * The reading phone's side of a tap: in NFC reader mode every tag found is
 * tried as a Deko card over IsoDep (android/apdu's [TicketReader] runs the
 * exchange); the result goes to [onRead] on the NFC thread. Anything that is
 * not a Deko phone is a [TicketRead] that says why, never an exception.
 */
class TapReader(private val onRead: (TicketRead) -> Unit) : NfcAdapter.ReaderCallback {
    override fun onTagDiscovered(tag: Tag?) {
        onRead(read(tag))
    }

    /** One exchange with [tag]. */
    fun read(tag: Tag?): TicketRead {
        val isoDep = tag?.let { IsoDep.get(it) } ?: return TicketRead.Broken("not an ISO-DEP tag")
        return read(isoDep)
    }

    /** One exchange over [isoDep]: connect, read, close. */
    fun read(isoDep: IsoDep): TicketRead {
        return try {
            isoDep.connect()
            isoDep.timeout = TIMEOUT_MS
            TicketReader().read(isoDep::transceive)
        } catch (e: IOException) {
            TicketRead.Lost(e)
        } catch (e: SecurityException) {
            TicketRead.Lost(e)
        } finally {
            runCatching { isoDep.close() }
        }
    }

    companion object {
        const val TIMEOUT_MS = 2000

        /** Reader mode for [activity] while it is in front (NFC-A, the HCE phones; no NDEF check, no sound of our own). */
        fun start(activity: Activity, reader: TapReader): Boolean {
            val nfc = NfcAdapter.getDefaultAdapter(activity) ?: return false
            nfc.enableReaderMode(activity, reader, NfcAdapter.FLAG_READER_NFC_A or NfcAdapter.FLAG_READER_SKIP_NDEF_CHECK, null)
            return true
        }

        fun stop(activity: Activity) {
            NfcAdapter.getDefaultAdapter(activity)?.disableReaderMode(activity)
        }
    }
}
