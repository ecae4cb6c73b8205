package app.deko.android.discovery

import android.content.Context
import android.net.nsd.NsdManager
import android.net.nsd.NsdServiceInfo
import android.os.Build
import app.deko.ffi.DiscoveryPlatform
import app.deko.ffi.SeenService
import java.net.Inet4Address
import java.net.Inet6Address
import java.net.InetAddress
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executor

/**
 * The core's discovery over Android's NsdManager (the bindings'
 * [DiscoveryPlatform]): announces this device under the opaque instance
 * name the core gives, browses the service type, resolves what it finds
 * and reports `ip:port` addresses. Recognising team devices is the core's.
 * A Wi-Fi multicast lock is held from [start] to [shutdown] only: while
 * discovering.
 */
class NsdDiscovery(
    context: Context,
    private val lock: MulticastHold? = MulticastHold.wifi(context),
    serviceType: String = nsdType(app.deko.ffi.discoveryServiceType()),
) : DiscoveryPlatform {
    private val type = serviceType
    private val nsd: NsdManager = checkNotNull(context.getSystemService(NsdManager::class.java)) { "no NsdManager" }
    private val found = ConcurrentHashMap<String, List<String>>()
    private val resolving = ConcurrentHashMap<String, Any>()
    private val direct = Executor { it.run() }
    @Volatile private var registration: NsdManager.RegistrationListener? = null
    @Volatile private var browsing: NsdManager.DiscoveryListener? = null

    /** Starts browsing (and takes the multicast lock). The core then calls [announce], [seen] and [shutdown]. */
    @Synchronized
    fun start() {
        if (browsing != null) return
        lock?.acquire()
        val listener = Browser()
        browsing = listener
        nsd.discoverServices(type, NsdManager.PROTOCOL_DNS_SD, listener)
    }

    @Synchronized
    override fun announce(instance: String, port: UShort) {
        registration?.let { runCatching { nsd.unregisterService(it) } }
        val info = NsdServiceInfo().apply {
            serviceName = instance
            serviceType = type
            this.port = port.toInt()
        }
        val listener = Registration()
        registration = listener
        nsd.registerService(info, NsdManager.PROTOCOL_DNS_SD, listener)
    }

    override fun seen(): List<SeenService> = found.map { (instance, addrs) -> SeenService(instance, addrs) }

    @Synchronized
    override fun shutdown() {
        browsing?.let { runCatching { nsd.stopServiceDiscovery(it) } }
        browsing = null
        registration?.let { runCatching { nsd.unregisterService(it) } }
        registration = null
        if (Build.VERSION.SDK_INT >= 34) resolving.values.forEach { runCatching { nsd.unregisterServiceInfoCallback(it as NsdManager.ServiceInfoCallback) } }
        resolving.clear()
        found.clear()
        if (lock?.isHeld == true) lock.release()
    }

    /** Whether the multicast lock is held (it is exactly while discovering). */
    val holdsMulticastLock: Boolean get() = lock?.isHeld == true

    private fun resolve(service: NsdServiceInfo) {
        val name = service.serviceName ?: return
        if (Build.VERSION.SDK_INT >= 34) {
            if (resolving.containsKey(name)) return
            val callback = object : NsdManager.ServiceInfoCallback {
                override fun onServiceInfoCallbackRegistrationFailed(errorCode: Int) { resolving.remove(name) }
                override fun onServiceUpdated(serviceInfo: NsdServiceInfo) = record(name, serviceInfo.hostAddresses, serviceInfo.port)
                override fun onServiceLost() { found.remove(name) }
                override fun onServiceInfoCallbackUnregistered() {}
            }
            resolving[name] = callback
            runCatching { nsd.registerServiceInfoCallback(service, direct, callback) }.onFailure { resolving.remove(name) }
        } else {
            @Suppress("DEPRECATION")
            nsd.resolveService(service, object : NsdManager.ResolveListener {
                override fun onResolveFailed(serviceInfo: NsdServiceInfo, errorCode: Int) {}
                override fun onServiceResolved(serviceInfo: NsdServiceInfo) {
                    @Suppress("DEPRECATION")
                    record(name, listOfNotNull(serviceInfo.host), serviceInfo.port)
                }
            })
        }
    }

    private fun record(name: String, hosts: List<InetAddress>, port: Int) {
        val addrs = hosts.mapNotNull { address(it, port) }
        if (addrs.isNotEmpty()) found[name] = addrs
    }

    private fun forget(service: NsdServiceInfo) {
        val name = service.serviceName ?: return
        found.remove(name)
        val callback = resolving.remove(name)
        if (callback != null && Build.VERSION.SDK_INT >= 34) runCatching { nsd.unregisterServiceInfoCallback(callback as NsdManager.ServiceInfoCallback) }
    }

    private inner class Browser : NsdManager.DiscoveryListener {
        override fun onDiscoveryStarted(serviceType: String) {}
        override fun onDiscoveryStopped(serviceType: String) {}
        override fun onStartDiscoveryFailed(serviceType: String, errorCode: Int) {}
        override fun onStopDiscoveryFailed(serviceType: String, errorCode: Int) {}
        override fun onServiceFound(serviceInfo: NsdServiceInfo) = resolve(serviceInfo)
        override fun onServiceLost(serviceInfo: NsdServiceInfo) = forget(serviceInfo)
    }

    private class Registration : NsdManager.RegistrationListener {
        override fun onServiceRegistered(serviceInfo: NsdServiceInfo) {}
        override fun onRegistrationFailed(serviceInfo: NsdServiceInfo, errorCode: Int) {}
        override fun onServiceUnregistered(serviceInfo: NsdServiceInfo) {}
        override fun onUnregistrationFailed(serviceInfo: NsdServiceInfo, errorCode: Int) {}
    }

    companion object {
        /** `_deko._udp.local.` (the core's) as NsdManager wants it: `_deko._udp`. */
        fun nsdType(coreType: String): String = coreType.removeSuffix(".").removeSuffix(".local")

        /** `ip:port`, `[v6]:port`; link-local IPv6 (needs a scope the core cannot parse) is left out. */
        fun address(host: InetAddress, port: Int): String? = when {
            port !in 1..65535 -> null
            host is Inet4Address -> "${host.hostAddress}:$port"
            host is Inet6Address && !host.isLinkLocalAddress -> "[${host.hostAddress?.substringBefore('%')}]:$port"
            else -> null
        }
    }
}
