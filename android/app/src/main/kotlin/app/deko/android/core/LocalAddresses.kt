package app.deko.android.core

import android.content.Context
import android.net.ConnectivityManager
import java.net.Inet4Address

/**
 * The addresses a peer on the same network can reach this phone at (for
 * tickets): the IPv4 addresses of the active network, else what the JVM
 * sees on its interfaces.
 */
object LocalAddresses {
    fun of(context: Context): List<String> {
        val cm = context.getSystemService(ConnectivityManager::class.java)
        val link = cm?.activeNetwork?.let { cm.getLinkProperties(it) }
        val fromLink = link?.linkAddresses.orEmpty()
            .map { it.address }
            .filter { it is Inet4Address && !it.isLoopbackAddress && !it.isLinkLocalAddress }
            .mapNotNull { it.hostAddress }
        return fromLink.ifEmpty { app.deko.ui.jvm.FfiGateway.localAddresses() }
    }

    /** `ip:port` for each address, with the port sync listens on (from `ip:port` or `[v6]:port`). */
    fun withPort(hosts: List<String>, bound: String): List<String> {
        val port = bound.substringAfterLast(':')
        val host = bound.substringBeforeLast(':')
        return if (host == "0.0.0.0" || host == "[::]") hosts.map { "$it:$port" } else listOf(bound)
    }
}
