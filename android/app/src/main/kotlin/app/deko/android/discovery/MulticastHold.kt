package app.deko.android.discovery

import android.content.Context
import android.net.wifi.WifiManager

/**
 * The Wi-Fi multicast lock that lets mDNS packets in while discovering
 * (an interface so that where it comes from can differ: Robolectric 4.17's
 * WifiManager cannot be loaded on API 35).
 */
interface MulticastHold {
    fun acquire()
    fun release()
    val isHeld: Boolean

    companion object {
        /** WifiManager's multicast lock, not reference-counted; null on a device without Wi-Fi. */
        fun wifi(context: Context): MulticastHold? {
            val lock = context.applicationContext.getSystemService(WifiManager::class.java)
                ?.createMulticastLock("deko-discovery")?.apply { setReferenceCounted(false) } ?: return null
            return object : MulticastHold {
                override fun acquire() = lock.acquire()
                override fun release() = lock.release()
                override val isHeld: Boolean get() = lock.isHeld
            }
        }
    }
}
