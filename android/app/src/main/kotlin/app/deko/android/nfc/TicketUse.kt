package app.deko.android.nfc

import app.deko.android.core.AppCore
import app.deko.core.SyncStats
import app.deko.ffi.DekoException
import app.deko.ffi.InternalException
import app.deko.ffi.SyncSettings

/** What a ticket that arrived (by a tap or a QR code) did. */
sealed interface TicketOutcome {
    /** This phone joined the team (the ticket carried an invite) and received its data. */
    data class Joined(val stats: SyncStats) : TicketOutcome

    /** This phone synced with the phone that shared the ticket. */
    data class Synced(val stats: SyncStats) : TicketOutcome

    /** A phone not yet in a team needs a name to join with: the first-run screen asks, then calls again. */
    data object NeedsName : TicketOutcome

    /**
     * The core refused or could not reach the other phone ([DekoException]), or the
     * library failed inside ([InternalException]): the error, for the UI to explain.
     */
    data class Failed(val error: Exception) : TicketOutcome
}

/**
 * Uses a ticket at once: a phone in a team syncs with the phone that shared
 * it (its addresses, else the relay: the core's attempt policy); a phone
 * without a team joins with it. The rules (which addresses, invites,
 * admission) are the core's.
 */
suspend fun AppCore.useTicket(ticket: String, yourName: String? = null): TicketOutcome = try {
    if (db.team() != null) {
        ensureSync()
        TicketOutcome.Synced(db.syncWithTicket(ticket))
    } else if (yourName.isNullOrBlank()) {
        TicketOutcome.NeedsName
    } else {
        TicketOutcome.Joined(db.join(ticket, yourName, SyncSettings(listen, null)))
    }
} catch (e: DekoException) {
    TicketOutcome.Failed(e)
} catch (e: InternalException) {
    TicketOutcome.Failed(e)
}
