package app.deko.android.core

import app.deko.core.Role
import app.deko.ffi.InviteOptions

/**
 * The ticket this phone shares when another phone taps it (the NFC card,
 * [app.deko.android.nfc.TicketCardService]) or shows as a QR code: by
 * default this device's own sync ticket, for a teammate; an invite only
 * while an admin has asked to admit a new phone ([offerInvite]). Nothing
 * before the database belongs to a team or while sync is not running (no
 * port to name).
 */
class TicketShelf(private val core: AppCore) {
    @Volatile private var invite: String? = null

    /** [hosts]: where this phone can be reached (the Wi-Fi's addresses); the port is sync's. */
    @Volatile var hosts: () -> List<String> = { app.deko.ui.jvm.FfiGateway.localAddresses() }

    /** The ticket to share now, or null. Called at each NFC SELECT: a few ms of local work. */
    fun current(): String? {
        invite?.let { return it }
        val db = core.db
        if (db.team() == null || !db.syncRunning()) return null
        return db.ticket(LocalAddresses.withPort(hosts(), db.localAddr()), null)
    }

    /** An admin admits a new phone: the next taps share a one-time invite (valid [ttlS] seconds) until [clearInvite]. */
    suspend fun offerInvite(role: Role = Role.MEMBER, ttlS: ULong = 600uL): String {
        val bound = core.ensureSync()
        return core.db.ticket(LocalAddresses.withPort(hosts(), bound), InviteOptions(role, ttlS)).also { invite = it }
    }

    fun clearInvite() {
        invite = null
    }
}
