package app.deko.android.discovery

import android.content.Context
import app.deko.android.core.AppCore

/**
 * Finding teammates on the same Wi-Fi and syncing with them: NsdManager
 * discovery handed to the core ([NsdDiscovery]) and the core's auto-sync
 * (which peers, when, backoff: the core's). Started while the app is in
 * front or a sync job runs; stopped after.
 */
object NearbySync {
    /** How often the core looks at what discovery sees. */
    const val INTERVAL_MS = 15_000L

    suspend fun start(
        context: Context,
        core: AppCore,
        intervalMs: Long = INTERVAL_MS,
        lock: MulticastHold? = MulticastHold.wifi(context),
    ): NsdDiscovery {
        core.ensureSync()
        val platform = NsdDiscovery(context, lock)
        platform.start()
        core.db.startDiscovery(platform, intervalMs.toULong())
        core.db.setAutoSync(true)
        return platform
    }

    fun stop(core: AppCore) {
        core.db.setAutoSync(false)
        core.db.stopDiscovery()
    }
}
